/**
 * A hand-written recursive-descent parser for uk files without syntax errors. Langium's parser interprets
 * the grammar at run time and spends about 7 µs per token; this one follows the grammar in code and builds
 * the same trees through TreeBuilder, several times faster. It does not recover from errors: at the first
 * unexpected token it gives up (returns undefined) and the document factory lets Langium's parser, with
 * its error recovery and messages, handle the file. Each method below mirrors one grammar rule, and makes
 * the choices Langium's LL(*) prediction makes on valid input (greedy loops and options).
 */
import { DatatypeSymbol, type AstNode, type LangiumCoreServices } from 'langium';
import type { IToken } from 'chevrotain';
import type { Module } from '../../generated/ast.js';
import { SOFT_KEYWORDS } from '../uk-token-builder.js';
import { buildFeatureTable, type FeatureTable } from './feature-table.js';
import { TreeBuilder } from './tree-builder.js';
import { UkValueConverter } from '../uk-value-converter.js';
import { deferCst } from './deferred-cst.js';
import type { GrammarAST, Lexer, LexingReport, ParseResult } from 'langium';
import { FastLexer } from './fast-lexer.js';

/** Thrown at the first token the fast parser does not expect; caught in `parse`. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp('syntax error: leave it to the recovering parser');

const PRIMITIVE_TYPES = new Set(['u8', 'u16', 'u32', 'u64', 'i8', 'i16', 'i32', 'i64', 'f32', 'f64', 'bool']);
const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);
const BUILTINS = new Set(['signal', 'wait', 'poll', 'badge', 'len', 'pending', 'push']);

function isNameKind(kind: string): boolean {
    return kind === 'ID' || SOFT_KEYWORDS.has(kind);
}

/** Tokens an expression can start with. */
function startsExpression(kind: string): boolean {
    return isNameKind(kind) || kind === 'INT' || kind === 'FLOAT' || kind === 'CHAR' || kind === 'STRING' || kind === 'true' || kind === 'false'
        || kind === '(' || kind === '[' || kind === '-' || kind === '!' || kind === '~' || kind === 'try' || kind === 'defer' || kind === 'none';
}

export class UkFastParser {
    /** Langium's lexer, made on first use: a clean file parsed without a CST never needs it. */
    private readonly langiumLexer: () => Lexer;
    private readonly builder: TreeBuilder;
    private readonly F: FeatureTable;
    private readonly binaryOperators: ReadonlySet<string>;
    private readonly transferRule: () => unknown;
    private readonly directionRule: () => unknown;
    private readonly accessRule: () => unknown;
    private readonly assignOpRule: () => unknown;
    private readonly builtinNameRule: () => unknown;
    private readonly fastLexer: FastLexer;
    /** The current file's tokens: their kinds and texts, and Langium's token objects when building a CST. */
    private kinds: string[] = [];
    private images: string[] = [];
    private tokens: IToken[] | undefined = undefined;
    private pos = 0;

    /**
     * `deferCst`: build each tree's CST only when something first asks for a node's `$cstNode` (see
     * deferred-cst.ts); `true` for one-shot checks, where a file without mistakes never needs one, and
     * `'unopened'` for a language server, whose open files need theirs at once (every editor request
     * reads positions) while the rest of the workspace rarely does.
     */
    constructor(services: LangiumCoreServices, private readonly options: { readonly deferCst?: boolean | 'unopened' } = {}) {
        this.langiumLexer = () => services.parser.Lexer;
        const tokens = services.parser.TokenBuilder.buildTokens(services.Grammar, { caseInsensitive: services.LanguageMetaData.caseInsensitive });
        if (!Array.isArray(tokens)) throw new Error('the fast lexer needs a single-mode token vocabulary');
        this.fastLexer = new FastLexer(tokens);
        const converter = services.parser.ValueConverter;
        if (!(converter instanceof UkValueConverter)) throw new Error('the fast parser needs the uk value converter');
        this.builder = new TreeBuilder(services.references.Linker, converter, services.shared.AstReflection);
        this.F = buildFeatureTable(services.Grammar);
        this.builder.registerInfix(this.F.BinaryExpr.name, this.F.BinaryExpr.precedence);
        this.binaryOperators = new Set(this.F.BinaryExpr.precedence.keys());
        this.transferRule = this.keywordRule(this.F.Transfer);
        this.directionRule = this.keywordRule(this.F.Direction);
        this.accessRule = this.keywordRule(this.F.Access);
        this.assignOpRule = this.keywordRule(this.F.AssignOp);
        this.builtinNameRule = this.keywordRule(this.F.BuiltinName);
    }

    /** The parse of a file without syntax errors, or undefined when the file has any. `open`: an editor has it open. */
    parse(text: string, open = false): ParseResult<Module> | undefined {
        const deferred = this.options.deferCst === true || (this.options.deferCst === 'unopened' && !open);
        const result = this.parseTree(text, !deferred);
        if (result && deferred) deferCst(result.value, () => this.parseTree(text, true)?.value);
        return result;
    }

    private parseTree(text: string, withCst: boolean): ParseResult<Module> | undefined {
        let hidden: IToken[] = [];
        let lexerReport: LexingReport = { diagnostics: [] };
        // Without a CST, positions and comments are not needed, and the hand-written lexer is enough.
        const fast = withCst ? undefined : this.fastLexer.tokenize(text);
        if (fast) {
            this.kinds = fast.kinds;
            this.images = fast.images;
            this.tokens = undefined;
        } else {
            const lexed = this.langiumLexer().tokenize(text);
            if (lexed.errors.length > 0 || (lexed.report?.diagnostics.length ?? 0) > 0) return undefined;
            this.kinds = lexed.tokens.map(token => token.tokenType.name);
            this.images = lexed.tokens.map(token => token.image);
            this.tokens = withCst ? lexed.tokens : undefined;
            hidden = lexed.hidden;
            lexerReport = lexed.report ?? lexerReport;
        }
        this.pos = 0;
        this.builder.start(text, hidden, { cst: withCst });
        try {
            const module = this.module() as AstNode;
            if (this.pos !== this.kinds.length) return undefined;
            return { value: this.builder.finish(module) as Module, lexerErrors: [], lexerReport, parserErrors: [] };
        } catch (error) {
            if (error instanceof GiveUp) return undefined;
            throw error;
        } finally {
            this.kinds = [];
            this.images = [];
            this.tokens = undefined;
        }
    }

    // ------------------------------------------------------------ tokens

    private kind(offset = 0): string {
        return this.kinds[this.pos + offset] ?? 'EOF';
    }

    private is(kind: string): boolean {
        return this.kind() === kind;
    }

    private consume(kind: string, feature: GrammarAST.AbstractElement): void {
        if (this.kinds[this.pos] !== kind) throw GIVE_UP;
        this.take(feature);
    }

    /** Consumes the current token whatever it is, after the caller has checked it. */
    private take(feature: GrammarAST.AbstractElement): void {
        this.builder.consume(this.images[this.pos], this.tokens?.[this.pos], feature);
        this.pos++;
    }

    /** `feature+=Rule (',' feature+=Rule)*`: one or more, separated by the rule's `','` keyword `comma`. */
    private commaList(feature: GrammarAST.AbstractElement, rule: (this: UkFastParser) => unknown, comma: GrammarAST.AbstractElement): void {
        this.sub(feature, rule);
        while (this.is(',')) {
            this.take(comma);
            this.sub(feature, rule);
        }
    }

    /**
     * Calls `rule` (a method of this parser, or a function that ignores `this`) at `feature`. Rules are
     * passed unbound and called with this parser as `this`, so a call allocates no closure.
     */
    private sub(feature: GrammarAST.AbstractElement, rule: (this: UkFastParser) => unknown): void {
        this.builder.subrule(feature, rule, this);
    }

    // ------------------------------------------------------------ names

    /** `property=ID` or `property=[Type:ID]`: an identifier or a soft keyword, consumed at the assignment's element. */
    private name(feature: GrammarAST.AbstractElement): void {
        if (!isNameKind(this.kind())) throw GIVE_UP;
        this.take(feature);
    }

    private qualifiedName = (): unknown => this.builder.rule(DatatypeSymbol, () => {
        const F = this.F.QualifiedName;
        this.name(F.ID);
        while (this.is('.')) {
            this.take(F['.']);
            this.name(F.ID);
        }
    });

    /** `ArmName: ID | 'none'`: the variant a match arm names (a cross-reference's text). */
    private armName = (): unknown => this.builder.rule(DatatypeSymbol, () => {
        const F = this.F.ArmName;
        if (this.is('none')) this.take(F.none);
        else this.name(F.ID);
    });

    /** A datatype rule that is a choice of keywords (`Transfer`, `Access`, `AssignOp`, ...). */
    private keywordRule(choices: Readonly<Record<string, GrammarAST.AbstractElement>>): () => unknown {
        return () => this.builder.rule(DatatypeSymbol, () => {
            const keyword = choices[this.kind()];
            if (!keyword) throw GIVE_UP;
            this.take(keyword);
        });
    }

    // ------------------------------------------------------------ declarations

    private module(): unknown {
        const F = this.F.Module;
        return this.builder.rule('Module', () => {
            if (this.is('package')) {
                this.take(F.packageKeyword);
                this.sub(F.package, this.qualifiedName);
            }
            while (this.is('import')) this.sub(F.imports, this.importRule);
            while (this.pos < this.kinds.length) this.sub(F.declarations, this.declaration);
        });
    }

    private importRule(): unknown {
        const F = this.F.Import;
        return this.builder.rule('Import', () => {
            this.consume('import', F.import);
            this.consume('STRING', F.path);
        });
    }

    private declaration(): unknown {
        const F = this.F.Declaration;
        return this.builder.rule('Declaration', () => {
            switch (this.kind()) {
                case 'const': return this.sub(F.ConstDecl, this.constDecl);
                case 'enum': case 'flags': return this.sub(F.EnumDecl, this.enumDecl);
                case 'bitfield': return this.sub(F.BitfieldDecl, this.bitfieldDecl);
                case 'struct': return this.sub(F.StructDecl, this.structDecl);
                case 'union': return this.sub(F.UnionDecl, this.unionDecl);
                case 'interface': return this.sub(F.InterfaceDecl, this.interfaceDecl);
                case 'device': return this.sub(F.DeviceDecl, this.deviceDecl);
                case 'fn': return this.sub(F.FunctionDecl, this.functionDecl);
                case 'server': return this.sub(F.ServerDecl, this.serverDecl);
                case 'program': return this.sub(F.ProgramDecl, this.programDecl);
                case 'system': return this.sub(F.SystemDecl, this.systemDecl);
                default: throw GIVE_UP;
            }
        });
    }

    private constDecl(): unknown {
        const F = this.F.ConstDecl;
        return this.builder.rule('ConstDecl', () => {
            this.consume('const', F.const);
            this.name(F.name);
            if (this.is(':')) {
                this.take(F[':']);
                this.sub(F.type, this.typeRef);
            }
            this.consume('=', F['=']);
            this.sub(F.value, this.expr);
        });
    }

    private enumDecl(): unknown {
        const F = this.F.EnumDecl;
        return this.builder.rule('EnumDecl', () => {
            if (this.is('flags')) this.take(F.flags);
            else this.consume('enum', F.enum);
            this.name(F.name);
            this.consume(':', F[':']);
            // `u3`, `i12`: any width, spelled as an identifier; the validator checks it.
            if (this.kind() === 'ID') this.take(this.F.EnumBase.ID);
            else this.primitive(this.F.EnumBase);
            this.consume('{', F['{']);
            while (isNameKind(this.kind())) {
                this.sub(F.members, this.enumMember);
                if (this.is(',')) this.take(F[',']);
            }
            this.consume('}', F['}']);
        });
    }

    private enumMember(): unknown {
        const F = this.F.EnumMember;
        return this.builder.rule('EnumMember', () => {
            this.name(F.name);
            if (this.is('=')) {
                this.take(F['=']);
                this.sub(F.value, this.expr);
            } else if (this.is('at')) {
                this.take(F.at);
                this.sub(F.bit, this.expr);
            }
        });
    }

    private bitfieldDecl(): unknown {
        const F = this.F.BitfieldDecl;
        return this.builder.rule('BitfieldDecl', () => {
            this.consume('bitfield', F.bitfield);
            this.name(F.name);
            this.consume(':', F[':']);
            this.primitive(this.F.BitfieldBase);
            this.consume('{', F['{']);
            while (isNameKind(this.kind())) {
                this.sub(F.fields, () => this.builder.rule('BitfieldField', () => {
                    const B = this.F.BitfieldField;
                    this.name(B.name);
                    this.consume(':', B[':']);
                    this.consume('INT', B.width);
                }));
                if (this.is(',')) this.take(F[',']);
            }
            this.consume('}', F['}']);
        });
    }

    private structDecl(): unknown {
        const F = this.F.StructDecl;
        return this.builder.rule('StructDecl', () => {
            this.consume('struct', F.struct);
            this.name(F.name);
            this.consume('{', F['{']);
            while (isNameKind(this.kind())) {
                this.sub(F.fields, this.structField);
                if (this.is(',')) this.take(F[',']);
            }
            this.consume('}', F['}']);
        });
    }

    private unionDecl(): unknown {
        const F = this.F.UnionDecl;
        return this.builder.rule('UnionDecl', () => {
            this.take(F.union);
            this.name(F.name);
            this.consume('{', F['{']);
            while (isNameKind(this.kind())) {
                this.sub(F.variants, this.unionVariant);
                if (this.is(',')) this.take(F[',']);
            }
            this.consume('}', F['}']);
        });
    }

    private unionVariant(): unknown {
        const F = this.F.UnionVariant;
        return this.builder.rule('UnionVariant', () => {
            this.name(F.name);
            if (this.is(':')) {
                this.take(F[':']);
                this.sub(F.type, this.typeRef);
            }
        });
    }

    /** `property=('u8' | ... | 'bool')`: the keyword, at its element of the assignment. */
    private primitive(choices: Readonly<Record<string, GrammarAST.AbstractElement>>): void {
        const keyword = choices[this.kind()];
        if (!keyword) throw GIVE_UP;
        this.take(keyword);
    }


    private typeRef(): unknown {
        const F = this.F.TypeRef;
        return this.builder.rule('TypeRef', () => {
            const kind = this.kind();
            if (PRIMITIVE_TYPES.has(kind)) {
                this.sub(F.PrimitiveTypeRef, () => this.builder.rule('PrimitiveTypeRef', () => this.primitive(this.F.PrimitiveTypeRef)));
            } else if (kind === '[') {
                this.sub(F.ArrayTypeRef, () => this.builder.rule('ArrayTypeRef', () => {
                    const A = this.F.ArrayTypeRef;
                    this.take(A['[']);
                    this.sub(A.element, this.typeRef);
                    this.consume(';', A[';']);
                    this.sub(A.length, this.expr);
                    this.consume(']', A[']']);
                }));
            } else if (kind === 'bytes') {
                this.sub(F.BytesTypeRef, () => this.builder.rule('BytesTypeRef', () => {
                    const B = this.F.BytesTypeRef;
                    this.take(B.bytes);
                    this.consume('[', B['[']);
                    this.sub(B.capacity, this.expr);
                    this.consume(']', B[']']);
                }));
            } else if (kind === 'string') {
                this.sub(F.StringTypeRef, () => this.builder.rule('StringTypeRef', () => {
                    const S = this.F.StringTypeRef;
                    this.take(S.string);
                    this.consume('[', S['[']);
                    this.sub(S.capacity, this.expr);
                    this.consume(']', S[']']);
                }));
            } else if (kind === 'vec') {
                this.sub(F.VecTypeRef, () => this.builder.rule('VecTypeRef', () => {
                    const V = this.F.VecTypeRef;
                    this.take(V.vec);
                    this.consume('[', V['[']);
                    this.sub(V.element, this.typeRef);
                    this.consume(';', V[';']);
                    this.sub(V.capacity, this.expr);
                    this.consume(']', V[']']);
                }));
            } else if (kind === 'endpoint') {
                this.sub(F.EndpointTypeRef, () => this.builder.rule('EndpointTypeRef', () => {
                    const E = this.F.EndpointTypeRef;
                    this.take(E.endpoint);
                    this.consume('<', E['<']);
                    this.name(E.interface);
                    this.consume('>', E['>']);
                }));
            } else if (kind === 'notification') {
                this.sub(F.NotificationTypeRef, () => this.builder.rule('NotificationTypeRef', () => {
                    const N = this.F.NotificationTypeRef;
                    this.builder.action('NotificationTypeRef', N.action);
                    this.take(N.notification);
                }));
            } else if (kind === 'reply') {
                this.sub(F.ReplyTypeRef, () => this.builder.rule('ReplyTypeRef', () => {
                    const R = this.F.ReplyTypeRef;
                    this.take(R.reply);
                    this.consume('<', R['<']);
                    this.name(R.interface);
                    this.consume('.', R['.']);
                    this.name(R.method);
                    this.consume('>', R['>']);
                }));
            } else if (isNameKind(kind)) {
                this.sub(F.NamedTypeRef, () => this.builder.rule('NamedTypeRef', () => this.name(this.F.NamedTypeRef.type)));
            } else {
                throw GIVE_UP;
            }
            while (this.is('?')) {
                this.builder.action('OptionalTypeRef', F.optionalAction);
                this.take(F['?']);
            }
        });
    }

    // ------------------------------------------------------------ interfaces

    private interfaceDecl(): unknown {
        const F = this.F.InterfaceDecl;
        return this.builder.rule('InterfaceDecl', () => {
            this.consume('interface', F.interface);
            this.name(F.name);
            this.consume('{', F['{']);
            while (!this.is('}')) {
                if (this.is('event')) this.sub(F.events, this.eventDecl);
                else this.sub(F.methods, this.method);
            }
            this.take(F['}']);
        });
    }

    private method(): unknown {
        const F = this.F.Method;
        return this.builder.rule('Method', () => {
            while (this.is('@')) this.sub(F.annotations, this.annotation);
            if (this.is('oneway')) this.take(F.oneway);
            this.name(F.name);
            this.consume('(', F['(']);
            if (!this.is(')')) {
                this.commaList(F.params, this.param, F[',']);
            }
            this.consume(')', F[')']);
            if (this.is('->')) {
                this.take(F['->']);
                if (this.is('(')) {
                    this.take(F['(']);
                    this.commaList(F.results, this.param, F[',']);
                    this.consume(')', F[')']);
                } else {
                    this.sub(F.resultType, this.typeRef);
                }
            }
            if (this.is('raises')) {
                this.take(F.raisesKeyword);
                this.name(F.raises);
                if (this.is('{')) this.sub(F.payload, this.errorPayload);
            }
        });
    }

    /** `event dataReady(count: u32, port: u8)`. */
    private eventDecl(): unknown {
        const F = this.F.EventDecl;
        return this.builder.rule('EventDecl', () => {
            this.take(F.event);
            this.name(F.name);
            this.consume('(', F['(']);
            if (!this.is(')')) this.commaList(F.params, this.eventParam, F[',']);
            this.consume(')', F[')']);
        });
    }

    private eventParam(): unknown {
        const F = this.F.EventParam;
        return this.builder.rule('EventParam', () => {
            this.name(F.name);
            this.consume(':', F[':']);
            this.sub(F.type, this.typeRef);
        });
    }

    /** `{ code: u32, offset: u64 }` after `raises E`. */
    private errorPayload(): unknown {
        const F = this.F.ErrorPayload;
        return this.builder.rule('ErrorPayload', () => {
            this.take(F['{']);
            this.sub(F.fields, this.structField);
            while (this.is(',') && this.kind(1) !== '}') {
                this.take(F[',']);
                this.sub(F.fields, this.structField);
            }
            if (this.is(',')) this.take(F[',']);
            this.consume('}', F['}']);
        });
    }

    private structField(): unknown {
        const S = this.F.StructField;
        return this.builder.rule('StructField', () => {
            this.name(S.name);
            this.consume(':', S[':']);
            this.sub(S.type, this.typeRef);
        });
    }

    private param(): unknown {
        const F = this.F.Param;
        return this.builder.rule('Param', () => {
            while (this.is('@')) this.sub(F.annotations, this.annotation);
            this.name(F.name);
            this.consume(':', F[':']);
            if (this.F.Transfer[this.kind()]) this.sub(F.transfer, this.transferRule);
            // `in`, `out` and `inout` may also name a type (they are soft keywords): a direction is followed by its type.
            if (this.F.Direction[this.kind()] && this.kind(1) !== ',' && this.kind(1) !== ')') this.sub(F.direction, this.directionRule);
            this.sub(F.type, this.typeRef);
        });
    }


    private annotation(): unknown {
        const F = this.F.Annotation;
        return this.builder.rule('Annotation', () => {
            this.consume('@', F['@']);
            this.name(F.name);
            if (this.is('(')) {
                this.take(F['(']);
                if (!this.is(')')) {
                    this.commaList(F.args, this.annotationArg, F[',']);
                }
                this.consume(')', F[')']);
            }
        });
    }

    private annotationArg(): unknown {
        const F = this.F.AnnotationArg;
        return this.builder.rule('AnnotationArg', () => {
            this.consume('INT', F.value);
            if (this.is('..')) {
                this.take(F['..']);
                this.consume('INT', F.end);
            }
        });
    }

    // ------------------------------------------------------------ devices, functions, components

    private deviceDecl(): unknown {
        const F = this.F.DeviceDecl;
        return this.builder.rule('DeviceDecl', () => {
            this.consume('device', F.device);
            this.name(F.name);
            if (this.is('size')) {
                this.take(F.sizeKeyword);
                this.sub(F.size, this.expr);
            }
            this.consume('{', F['{']);
            while (isNameKind(this.kind())) {
                this.sub(F.registers, this.deviceRegister);
                if (this.is(',')) this.take(F[',']);
            }
            this.consume('}', F['}']);
        });
    }

    private deviceRegister(): unknown {
        const F = this.F.DeviceRegister;
        return this.builder.rule('DeviceRegister', () => {
            this.name(F.name);
            this.consume(':', F[':']);
            this.sub(F.type, this.typeRef);
            this.consume('at', F.at);
            this.sub(F.offset, this.expr);
            // `ro` followed by `:` starts the next register rather than giving this one's access.
            if (this.F.Access[this.kind()] && this.kind(1) !== ':') this.sub(F.access, this.accessRule);
        });
    }

    private functionDecl(): unknown {
        const F = this.F.FunctionDecl;
        return this.builder.rule('FunctionDecl', () => {
            this.consume('fn', F.fn);
            this.name(F.name);
            this.consume('(', F['(']);
            if (!this.is(')')) {
                this.commaList(F.params, this.functionParam, F[',']);
            }
            this.consume(')', F[')']);
            if (this.is('->')) {
                this.take(F['->']);
                this.sub(F.returnType, this.typeRef);
            }
            this.sub(F.body, this.block);
        });
    }

    private functionParam(): unknown {
        const F = this.F.FunctionParam;
        return this.builder.rule('FunctionParam', () => {
            this.name(F.name);
            this.consume(':', F[':']);
            this.sub(F.type, this.typeRef);
        });
    }

    private serverDecl(): unknown {
        const F = this.F.ServerDecl;
        return this.builder.rule('ServerDecl', () => {
            this.consume('server', F.server);
            this.name(F.name);
            this.consume('implements', F.implements);
            this.name(F.interface);
            this.consume('{', F['{']);
            while (!this.is('}')) this.sub(F.members, this.componentMember);
            this.take(F['}']);
        });
    }

    private programDecl(): unknown {
        const F = this.F.ProgramDecl;
        return this.builder.rule('ProgramDecl', () => {
            this.consume('program', F.program);
            this.name(F.name);
            this.consume('{', F['{']);
            while (!this.is('}')) this.sub(F.members, this.componentMember);
            this.take(F['}']);
        });
    }

    private componentMember(): unknown {
        const F = this.F.ComponentMember;
        return this.builder.rule('ComponentMember', () => {
            switch (this.kind()) {
                case 'var': return this.sub(F.StateVar, () => this.builder.rule('StateVar', () => {
                    const S = this.F.StateVar;
                    this.take(S.var);
                    this.name(S.name);
                    this.consume(':', S[':']);
                    this.sub(S.type, this.typeRef);
                    if (this.is('=')) {
                        this.take(S['=']);
                        this.sub(S.init, this.expr);
                    }
                }));
                case 'uses': return this.sub(F.UsesPort, () => this.builder.rule('UsesPort', () => {
                    const U = this.F.UsesPort;
                    this.take(U.uses);
                    this.name(U.name);
                    this.consume(':', U[':']);
                    this.name(U.interface);
                }));
                case 'device': return this.sub(F.DevicePort, () => this.builder.rule('DevicePort', () => {
                    const D = this.F.DevicePort;
                    this.take(D.deviceKeyword);
                    this.name(D.name);
                    this.consume(':', D[':']);
                    this.name(D.device);
                }));
                case 'interrupt': return this.sub(F.InterruptPort, () => this.builder.rule('InterruptPort', () => {
                    this.take(this.F.InterruptPort.interrupt);
                    this.name(this.F.InterruptPort.name);
                }));
                case 'notification': return this.sub(F.NotificationPort, () => this.builder.rule('NotificationPort', () => {
                    this.take(this.F.NotificationPort.notification);
                    this.name(this.F.NotificationPort.name);
                }));
                case 'fn': return this.sub(F.FunctionDecl, this.functionDecl);
                case 'on': return this.sub(F.Handler, this.handler);
                case 'init': return this.sub(F.InitBlock, () => this.builder.rule('InitBlock', () => {
                    this.take(this.F.InitBlock.init);
                    this.sub(this.F.InitBlock.body, this.block);
                }));
                case 'main': return this.sub(F.MainBlock, () => this.builder.rule('MainBlock', () => {
                    this.take(this.F.MainBlock.main);
                    this.sub(this.F.MainBlock.body, this.block);
                }));
                default: throw GIVE_UP;
            }
        });
    }

    private handler(): unknown {
        const F = this.F.Handler;
        return this.builder.rule('Handler', () => {
            this.consume('on', F.on);
            if (this.is('interrupt')) {
                this.take(F.interrupt);
                this.name(F.interruptPort);
            } else if (this.is('notification')) {
                this.take(F.notification);
                this.name(F.notificationPort);
                if (this.is('(')) {
                    this.take(F['(']);
                    this.sub(F.params, this.handlerParam);
                    this.consume(')', F[')']);
                }
            } else if (this.is('event')) {
                this.take(F.event);
                this.name(F.usesPort);
                this.consume('.', F['.']);
                this.name(F.eventDecl);
                this.consume('(', F['(']);
                if (!this.is(')')) this.commaList(F.params, this.handlerParam, F[',']);
                this.consume(')', F[')']);
            } else {
                this.name(F.method);
                this.consume('(', F['(']);
                if (!this.is(')')) {
                    this.commaList(F.params, this.handlerParam, F[',']);
                }
                this.consume(')', F[')']);
            }
            this.sub(F.body, this.block);
        });
    }

    private handlerParam(): unknown {
        return this.builder.rule('HandlerParam', () => this.name(this.F.HandlerParam.name));
    }

    // ------------------------------------------------------------ systems

    private systemDecl(): unknown {
        const F = this.F.SystemDecl;
        return this.builder.rule('SystemDecl', () => {
            this.consume('system', F.system);
            this.name(F.name);
            this.consume('{', F['{']);
            while (!this.is('}')) this.sub(F.items, this.systemItem);
            this.take(F['}']);
        });
    }

    private systemItem(): unknown {
        const F = this.F.SystemItem;
        return this.builder.rule('SystemItem', () => {
            switch (this.kind()) {
                case 'instance': return this.sub(F.Instance, () => this.builder.rule('Instance', () => {
                    const I = this.F.Instance;
                    this.take(I.instance);
                    this.name(I.name);
                    this.consume(':', I[':']);
                    this.name(I.component);
                    this.properties(I);
                }));
                case 'device': return this.sub(F.DeviceInstance, () => this.builder.rule('DeviceInstance', () => {
                    const D = this.F.DeviceInstance;
                    this.take(D.deviceKeyword);
                    this.name(D.name);
                    this.consume(':', D[':']);
                    this.name(D.device);
                    this.properties(D);
                }));
                case 'connect': return this.sub(F.Connection, this.connection);
                case 'supervise': return this.sub(F.Supervision, () => this.builder.rule('Supervision', () => {
                    const S = this.F.Supervision;
                    this.take(S.supervise);
                    this.name(S.target);
                    this.consume('restart', S.restart);
                    this.sub(S.limit, this.expr);
                }));
                case 'kernel': return this.sub(F.KernelSetting, () => this.builder.rule('KernelSetting', () => {
                    const K = this.F.KernelSetting;
                    this.take(K.kernel);
                    this.consume(':', K[':']);
                    this.name(K.personality);
                }));
                default: throw GIVE_UP;
            }
        });
    }

    private properties(F: Readonly<Record<string, GrammarAST.AbstractElement>>): void {
        if (!this.is('{')) return;
        this.take(F['{']);
        while (isNameKind(this.kind())) {
            this.sub(F.properties, () => this.builder.rule('Property', () => {
                const P = this.F.Property;
                this.name(P.name);
                this.consume(':', P[':']);
                this.sub(P.value, this.expr);
            }));
            if (this.is(',')) this.take(F[',']);
        }
        this.consume('}', F['}']);
    }

    private connection(): unknown {
        const F = this.F.Connection;
        return this.builder.rule('Connection', () => {
            this.take(F.connect);
            this.sub(F.source, () => this.builder.rule('PortRef', () => {
                const P = this.F.PortRef;
                this.name(P.instance);
                this.consume('.', P['.']);
                this.name(P.port);
            }));
            this.consume('->', F['->']);
            this.name(F.target);
            if (this.is('.')) {
                this.take(F['.']);
                this.name(F.targetPort);
            }
            if (this.is('badge')) {
                this.take(F.badgeKeyword);
                this.sub(F.badge, this.expr);
            }
        });
    }

    // ------------------------------------------------------------ statements

    private block(): unknown {
        const F = this.F.Block;
        return this.builder.rule('Block', () => {
            this.consume('{', F['{']);
            while (!this.is('}')) {
                if (this.is('EOF')) throw GIVE_UP;
                this.sub(F.statements, this.statement);
            }
            this.take(F['}']);
        });
    }

    private statement(): unknown {
        const F = this.F.Statement;
        return this.builder.rule('Statement', () => {
            switch (this.kind()) {
                case 'let': case 'var': return this.sub(F.LetStmt, this.letStmt);
                case 'if': return this.sub(F.IfStmt, this.ifStmt);
                case 'match': return this.sub(F.MatchStmt, this.matchStmt);
                case 'while': return this.sub(F.WhileStmt, () => this.builder.rule('WhileStmt', () => {
                    const W = this.F.WhileStmt;
                    this.take(W.while);
                    this.sub(W.condition, this.expr);
                    this.sub(W.body, this.block);
                }));
                case 'for': return this.sub(F.ForStmt, () => this.builder.rule('ForStmt', () => {
                    const R = this.F.ForStmt;
                    this.take(R.for);
                    this.sub(R.variable, this.binding);
                    this.consume('in', R.in);
                    this.sub(R.from, this.expr);
                    this.consume('..', R['..']);
                    this.sub(R.to, this.expr);
                    this.sub(R.body, this.block);
                }));
                case 'break': return this.sub(F.BreakStmt, () => this.builder.rule('BreakStmt', () => {
                    this.builder.action('BreakStmt', this.F.BreakStmt.action);
                    this.take(this.F.BreakStmt.break);
                }));
                case 'continue': return this.sub(F.ContinueStmt, () => this.builder.rule('ContinueStmt', () => {
                    this.builder.action('ContinueStmt', this.F.ContinueStmt.action);
                    this.take(this.F.ContinueStmt.continue);
                }));
                case 'return': return this.sub(F.ReturnStmt, () => this.builder.rule('ReturnStmt', () => {
                    const R = this.F.ReturnStmt;
                    this.builder.action('ReturnStmt', R.action);
                    this.take(R.return);
                    if (startsExpression(this.kind())) this.sub(R.value, this.expr);
                }));
                case 'reply': return this.sub(F.ReplyStmt, () => this.builder.rule('ReplyStmt', () => {
                    const R = this.F.ReplyStmt;
                    this.builder.action('ReplyStmt', R.action);
                    this.take(R.reply);
                    if (startsExpression(this.kind())) this.sub(R.value, this.expr);
                }));
                case 'raise': return this.sub(F.RaiseStmt, () => this.builder.rule('RaiseStmt', () => {
                    this.take(this.F.RaiseStmt.raise);
                    this.sub(this.F.RaiseStmt.value, this.expr);
                    // `raise E.X { code: 5 }`: a block statement after a raise never starts with `name:`.
                    if (this.is('{') && isNameKind(this.kind(1)) && this.kind(2) === ':') this.sub(this.F.RaiseStmt.payload, this.errorPayloadValue);
                }));
                case 'emit': return this.sub(F.EmitStmt, () => this.builder.rule('EmitStmt', () => {
                    const E = this.F.EmitStmt;
                    this.take(E.emit);
                    this.name(E.event);
                    this.consume('(', E['(']);
                    if (!this.is(')')) this.commaList(E.args, this.expr, E[',']);
                    this.consume(')', E[')']);
                }));
                case 'print': return this.sub(F.PrintStmt, () => this.builder.rule('PrintStmt', () => {
                    const P = this.F.PrintStmt;
                    this.take(P.print);
                    this.consume('(', P['(']);
                    this.consume('STRING', P.format);
                    while (this.is(',')) {
                        this.take(P[',']);
                        this.sub(P.args, this.expr);
                    }
                    this.consume(')', P[')']);
                }));
                case 'assert': return this.sub(F.AssertStmt, () => this.builder.rule('AssertStmt', () => {
                    const A = this.F.AssertStmt;
                    this.take(A.assert);
                    this.consume('(', A['(']);
                    this.sub(A.condition, this.expr);
                    if (this.is(',')) {
                        this.take(A[',']);
                        this.consume('STRING', A.message);
                    }
                    this.consume(')', A[')']);
                }));
                case '{': return this.sub(F.Block, this.block);
                default: return this.sub(F.ExprStatement, this.exprStatement);
            }
        });
    }

    private letStmt(): unknown {
        const F = this.F.LetStmt;
        return this.builder.rule('LetStmt', () => {
            this.take(this.is('let') ? F.let : F.var);
            if (this.is('(')) {
                this.take(F['(']);
                this.sub(F.bindings, this.binding);
                do {
                    this.consume(',', F[',']);
                    this.sub(F.bindings, this.binding);
                } while (this.is(','));
                this.consume(')', F[')']);
            } else {
                this.sub(F.bindings, this.binding);
            }
            if (this.is(':')) {
                this.take(F[':']);
                this.sub(F.type, this.typeRef);
            }
            if (this.is('=')) {
                this.take(F['=']);
                this.sub(F.value, this.expr);
            }
        });
    }

    private binding(): unknown {
        return this.builder.rule('Binding', () => this.name(this.F.Binding.name));
    }

    private ifStmt(): unknown {
        const F = this.F.IfStmt;
        return this.builder.rule('IfStmt', () => {
            this.consume('if', F.if);
            if (this.is('let')) {
                this.take(F.let);
                this.sub(F.binding, this.binding);
                this.consume('=', F['=']);
            }
            this.sub(F.condition, this.expr);
            this.sub(F.then, this.block);
            if (this.is('else')) {
                this.take(F.elseKeyword);
                if (this.is('if')) this.sub(F.elseIf, this.ifStmt);
                else this.sub(F.else, this.block);
            }
        });
    }

    private matchStmt(): unknown {
        const F = this.F.MatchStmt;
        return this.builder.rule('MatchStmt', () => {
            this.take(F.match);
            this.sub(F.value, this.expr);
            this.consume('{', F['{']);
            while (!this.is('}')) this.sub(F.arms, this.matchArm);
            this.take(F['}']);
        });
    }

    private matchArm(): unknown {
        const F = this.F.MatchArm;
        return this.builder.rule('MatchArm', () => {
            const kind = this.kind();
            if (kind === 'else') {
                this.take(F.otherwise);
            } else {
                if (kind !== 'none' && !isNameKind(kind)) throw GIVE_UP;
                this.sub(F.variant, this.armName);
                if (this.is('(')) {
                    this.take(F['(']);
                    this.sub(F.binding, this.binding);
                    this.consume(')', F[')']);
                }
            }
            this.sub(F.body, this.block);
        });
    }

    private exprStatement(): unknown {
        const F = this.F.ExprStatement;
        return this.builder.rule('Statement', () => {
            if (!startsExpression(this.kind())) throw GIVE_UP;
            this.sub(F.Expr, this.expr);
            if (ASSIGN_OPS.has(this.kind())) {
                this.builder.action('AssignStmt', F.action);
                this.sub(F.op, this.assignOpRule);
                this.sub(F.value, this.expr);
            }
        });
    }

    // ------------------------------------------------------------ expressions

    // The expression rules run for every operand, so they use begin/end rather than a closure per call.

    private expr(): unknown {
        const F = this.F.Expr;
        this.builder.begin('Expr');
        this.sub(F.BinaryExpr, this.binaryExpr);
        if (this.is('catch')) {
            this.builder.action('CatchExpr', F.action);
            this.take(F.catch);
            this.sub(F.binding, this.binding);
            this.sub(F.handler, this.block);
        }
        return this.builder.end();
    }

    private binaryExpr(): unknown {
        const F = this.F.BinaryExpr;
        this.builder.begin('BinaryExpr', F.name);
        this.sub(F.firstPart, this.castExpr);
        while (this.binaryOperators.has(this.kind())) {
            this.take(F.operator);
            this.sub(F.nextPart, this.castExpr);
        }
        return this.builder.end();
    }

    private castExpr(): unknown {
        const F = this.F.CastExpr;
        this.builder.begin('Expr');
        this.sub(F.UnaryExpr, this.unaryExpr);
        while (this.is('as')) {
            this.builder.action('CastExpr', F.action);
            this.take(F.as);
            this.sub(F.type, this.typeRef);
        }
        return this.builder.end();
    }

    private unaryExpr(): unknown {
        const F = this.F.UnaryExpr;
        this.builder.begin('Expr');
        const kind = this.kind();
        if (kind === '-' || kind === '!' || kind === '~') {
            this.builder.action('UnaryExpr', F.unary);
            this.take(F[kind]);
            this.sub(F.operand, this.unaryExpr);
        } else if (kind === 'try') {
            this.builder.action('TryExpr', F.tryAction);
            this.take(F.try);
            this.sub(F.call, this.postfixExpr);
        } else {
            this.sub(F.PostfixExpr, this.postfixExpr);
        }
        return this.builder.end();
    }

    private postfixExpr(): unknown {
        const F = this.F.PostfixExpr;
        this.builder.begin('Expr');
        this.primaryExpr();
        for (;;) {
            const kind = this.kind();
            if (kind === '.' && (this.kind(1) === 'reply' || this.kind(1) === 'raise')) {
                // `pending.reply(v)`, `pending.raise(E.X)`, `pending.raise(E.X { code: 5 })`: answers a deferred call.
                this.builder.action('AnswerExpr', F.answerAction);
                this.take(F['.']);
                this.take(F[this.kind()]);
                this.consume('(', F['(']);
                if (!this.is(')')) {
                    this.commaList(F.args, this.expr, F[',']);
                }
                if (this.is('{')) this.sub(F.payload, this.errorPayloadValue);
                this.consume(')', F[')']);
            } else if (kind === '.') {
                this.builder.action('MemberExpr', F.memberAction);
                this.take(F['.']);
                this.name(F.member);
            } else if (kind === '(') {
                this.builder.action('CallExpr', F.callAction);
                this.take(F['(']);
                if (!this.is(')')) {
                    this.commaList(F.args, this.expr, F[',']);
                }
                this.consume(')', F[')']);
            } else if (kind === '[') {
                this.builder.action('IndexExpr', F.indexAction);
                this.take(F['[']);
                this.sub(F.index, this.expr);
                this.consume(']', F[']']);
            } else {
                return this.builder.end();
            }
        }
    }

    /** The first part of a postfix expression: a literal, a builtin call, a struct literal, a name or a parenthesis. */
    private primaryExpr(): void {
        const F = this.F.PostfixExpr;
        {
            const kind = this.kind();
            switch (kind) {
                case 'FLOAT': return this.sub(F.FloatLiteral, () => this.builder.rule('FloatLiteral', () => this.take(this.F.FloatLiteral.value)));
                case 'INT': return this.sub(F.IntLiteral, () => this.builder.rule('IntLiteral', () => this.take(this.F.IntLiteral.value)));
                case 'CHAR': return this.sub(F.CharLiteral, () => this.builder.rule('CharLiteral', () => this.take(this.F.CharLiteral.value)));
                case 'STRING': return this.sub(F.StringLiteral, () => this.builder.rule('StringLiteral', () => this.take(this.F.StringLiteral.value)));
                case 'true': return this.sub(F.BoolLiteral, () => this.builder.rule('BoolLiteral', () => this.take(this.F.BoolLiteral.true)));
                case 'false': return this.sub(F.BoolLiteral, () => this.builder.rule('BoolLiteral', () => {
                    this.builder.action('BoolLiteral', this.F.BoolLiteral.action);
                    this.take(this.F.BoolLiteral.false);
                }));
                case '[': return this.sub(F.ArrayLiteral, this.arrayLiteral);
                case '(': return this.sub(F.ParenOrTuple, this.parenOrTuple);
                case 'none': return this.sub(F.NoneLiteral, () => this.builder.rule('NoneLiteral', () => {
                    this.builder.action('NoneLiteral', this.F.NoneLiteral.action);
                    this.take(this.F.NoneLiteral.none);
                }));
                case 'defer': return this.sub(F.DeferExpr, () => this.builder.rule('DeferExpr', () => {
                    this.builder.action('DeferExpr', this.F.DeferExpr.action);
                    this.take(this.F.DeferExpr.defer);
                }));
            }
            if (!isNameKind(kind)) throw GIVE_UP;
            if (BUILTINS.has(kind) && this.kind(1) === '(') {
                this.sub(F.BuiltinCall, this.builtinCall);
            } else if (this.kind(1) === '{' && isNameKind(this.kind(2)) && this.kind(3) === ':') {
                this.sub(F.StructLiteral, this.structLiteral);
            } else {
                this.sub(F.NameRef, () => this.builder.rule('NameRef', () => this.name(this.F.NameRef.target)));
            }
        }
    }

    private builtinCall(): unknown {
        const F = this.F.BuiltinCall;
        return this.builder.rule('BuiltinCall', () => {
            this.sub(F.name, this.builtinNameRule);
            this.consume('(', F['(']);
            if (!this.is(')')) {
                this.commaList(F.args, this.expr, F[',']);
            }
            this.consume(')', F[')']);
        });
    }

    private structLiteral(): unknown {
        const F = this.F.StructLiteral;
        return this.builder.rule('StructLiteral', () => {
            this.name(F.type);
            this.consume('{', F['{']);
            this.sub(F.fields, this.fieldInit);
            while (this.is(',') && this.kind(1) !== '}') {
                this.take(F[',']);
                this.sub(F.fields, this.fieldInit);
            }
            if (this.is(',')) this.take(F[',']);
            this.consume('}', F['}']);
        });
    }

    private errorPayloadValue(): unknown {
        const F = this.F.ErrorPayloadValue;
        return this.builder.rule('ErrorPayloadValue', () => {
            this.take(F['{']);
            this.sub(F.fields, this.fieldInit);
            while (this.is(',') && this.kind(1) !== '}') {
                this.take(F[',']);
                this.sub(F.fields, this.fieldInit);
            }
            if (this.is(',')) this.take(F[',']);
            this.consume('}', F['}']);
        });
    }

    private fieldInit(): unknown {
        const F = this.F.FieldInit;
        return this.builder.rule('FieldInit', () => {
            this.name(F.field);
            this.consume(':', F[':']);
            this.sub(F.value, this.expr);
        });
    }

    private arrayLiteral(): unknown {
        const F = this.F.ArrayLiteral;
        return this.builder.rule('ArrayLiteral', () => {
            this.take(F['[']);
            // `[]`: an empty vec.
            if (this.is(']')) {
                this.take(F[']']);
                return;
            }
            this.sub(F.elements, this.expr);
            if (this.is(';')) {
                this.take(F[';']);
                this.sub(F.count, this.expr);
            } else {
                while (this.is(',') && this.kind(1) !== ']') {
                    this.take(F[',']);
                    this.sub(F.elements, this.expr);
                }
                if (this.is(',')) this.take(F[',']);
            }
            this.consume(']', F[']']);
        });
    }

    private parenOrTuple(): unknown {
        const F = this.F.ParenOrTuple;
        return this.builder.rule('Expr', () => {
            this.take(F['(']);
            this.sub(F.Expr, this.expr);
            if (this.is(',')) {
                this.builder.action('TupleExpr', F.action);
                do {
                    this.take(F[',']);
                    this.sub(F.elements, this.expr);
                } while (this.is(','));
            }
            this.consume(')', F[')']);
        });
    }
}
