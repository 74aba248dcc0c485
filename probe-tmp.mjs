import { DebugClient } from '@vscode/debugadapter-testsupport';
const [program, line, ...paths] = process.argv.slice(2);
const client = new DebugClient('/work/wt/dbgview/bin/ukc.js', 'debug-adapter', 'ukc');
await client.start();
const stopped = client.waitForEvent('stopped');
await Promise.all([
  client.waitForEvent('initialized').then(() => client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: Number(line) }] })).then(r => console.log(JSON.stringify(r.body.breakpoints))).then(() => client.configurationDoneRequest()),
  client.launch({ program })
]);
const stop = await stopped;
console.log('stop', stop.body.reason, stop.body.threadId);
console.log((await client.threadsRequest()).body.threads.map(t => t.name));
const frames = (await client.stackTraceRequest({ threadId: stop.body.threadId })).body.stackFrames;
console.log(frames.map(f => [f.name, f.line]));
async function dump(ref, indent, depth) {
  const vars = (await client.variablesRequest({ variablesReference: ref })).body.variables;
  for (const v of vars.slice(0, 12)) {
    console.log(`${indent}${v.name}: ${v.value}  [${v.type ?? ''}]${v.variablesReference ? ' +' : ''}`);
    if (v.variablesReference && depth > 0) await dump(v.variablesReference, indent + '    ', depth - 1);
  }
}
for (const scope of (await client.scopesRequest({ frameId: frames[0].id })).body.scopes) {
  if (scope.name === 'Registers') continue;
  console.log(`== ${scope.name} (${scope.presentationHint ?? ''})`);
  await dump(scope.variablesReference, '  ', 2);
}
for (const p of paths) {
  try { const r = await client.evaluateRequest({ expression: p, frameId: frames[0].id }); console.log('eval', p, '=', r.body.result, r.body.type, r.body.variablesReference); } catch (e) { console.log('eval', p, 'error', e.message); }
}
await client.stop();
