import '../src/polyfill.js';
import { EmptyFileSystem, URI, DocumentState } from 'langium';
import { createUkServices } from '../src/language/uk-module.js';
import { generateText } from './generate-workspace.js';
const text = generateText(50000);
for (let r = 0; r < 3; r++) {
  const { shared, Uk } = createUkServices(EmptyFileSystem, { referenceIndex: false });
  const t: number[] = [performance.now()];
  const doc = shared.workspace.LangiumDocumentFactory.fromString(text, URI.file(`/b${r}.uk`));
  t.push(performance.now());
  shared.workspace.LangiumDocuments.addDocument(doc);
  await shared.workspace.IndexManager.updateContent(doc);
  t.push(performance.now());
  doc.localSymbols = await Uk.references.ScopeComputation.collectLocalSymbols(doc);
  doc.state = DocumentState.ComputedScopes;
  t.push(performance.now());
  await Uk.references.Linker.link(doc);
  t.push(performance.now());
  await shared.workspace.IndexManager.updateReferences(doc);
  t.push(performance.now());
  const diags = await Uk.validation.DocumentValidator.validateDocument(doc);
  t.push(performance.now());
  const names = ['parse','index','scopes','link','refs','validate'];
  console.log(names.map((n,i)=>`${n}=${(t[i+1]-t[i]).toFixed(0)}`).join(' '), 'diags', diags.length);
}
