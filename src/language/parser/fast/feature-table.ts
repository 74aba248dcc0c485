/**
 * Every grammar element the hand-written parser passes to the tree builder, resolved once per grammar.
 * Names follow the grammar: `F.ConstDecl.name` is what `name=Name` assigns in rule ConstDecl and
 * `F.ConstDecl.const` is the keyword 'const'. Where a rule has a keyword and an assignment of the same name
 * (`'badge' badge=Expr`), the assignment keeps the name and the keyword is `<name>Keyword`.
 */
import type { GrammarAST } from 'langium';
import { GrammarFeatures, type InfixFeatures } from './grammar-features.js';

/** The elements of one rule, by keyword value or assigned property. */
export type RuleFeatures = Readonly<Record<string, GrammarAST.AbstractElement>>;

export type FeatureTable = { readonly [rule: string]: RuleFeatures } & { readonly BinaryExpr: InfixFeatures & RuleFeatures };

export function buildFeatureTable(grammar: GrammarAST.Grammar): FeatureTable {
    const g = new GrammarFeatures(grammar);
    const k = (rule: string, ...values: string[]) => Object.fromEntries(values.map(value => [value, g.keyword(rule, value)])) as Record<string, GrammarAST.Keyword>;
    const a = (rule: string, ...properties: string[]) => Object.fromEntries(properties.map(property => [property, g.assigned(rule, property)])) as Record<string, GrammarAST.AbstractElement>;
    const calls = (rule: string, ...callees: string[]) => Object.fromEntries(callees.map(callee => [callee, g.call(rule, callee)])) as Record<string, GrammarAST.RuleCall>;
    const keywordsOf = (rule: string, values: readonly string[]) => k(rule, ...values);
    const assignedKeywords = (rule: string, property: string, values: readonly string[]) =>
        Object.fromEntries(values.map(value => [value, g.assignedKeyword(rule, property, value)])) as Record<string, GrammarAST.Keyword>;
    const primitives = ['u8', 'u16', 'u32', 'u64', 'i8', 'i16', 'i32', 'i64', 'f32', 'f64', 'bool'];
    const infix: InfixFeatures = g.infix('BinaryExpr');
    const table = {
        Module: { ...a('Module', 'package', 'imports', 'declarations'), packageKeyword: g.keyword('Module', 'package') },
        Import: { ...k('Import', 'import'), ...a('Import', 'path') },
        Declaration: calls('Declaration', 'ConstDecl', 'EnumDecl', 'BitfieldDecl', 'StructDecl', 'UnionDecl', 'InterfaceDecl', 'DeviceDecl', 'FunctionDecl', 'ServerDecl', 'ProgramDecl', 'SystemDecl'),
        ConstDecl: { ...k('ConstDecl', 'const', ':', '='), ...a('ConstDecl', 'name', 'type', 'value') },
        EnumDecl: { ...k('EnumDecl', 'enum', ':', '{', ',', '}'), ...a('EnumDecl', 'name', 'members'), flags: g.assignedKeyword('EnumDecl', 'flags', 'flags') },
        EnumBase: { ...assignedKeywords('EnumDecl', 'base', primitives), ID: g.assignedTerminal('EnumDecl', 'base', 'ID') },
        EnumMember: { ...k('EnumMember', '=', 'at'), ...a('EnumMember', 'name', 'value', 'bit') },
        BitfieldDecl: { ...k('BitfieldDecl', 'bitfield', ':', '{', ',', '}'), ...a('BitfieldDecl', 'name', 'fields') },
        BitfieldBase: assignedKeywords('BitfieldDecl', 'base', primitives),
        BitfieldField: { ...k('BitfieldField', ':'), ...a('BitfieldField', 'name', 'width') },
        StructDecl: { ...k('StructDecl', 'struct', '{', ',', '}'), ...a('StructDecl', 'name', 'fields') },
        StructField: { ...k('StructField', ':'), ...a('StructField', 'name', 'type') },
        UnionDecl: { ...k('UnionDecl', 'union', '{', ',', '}'), ...a('UnionDecl', 'name', 'variants') },
        UnionVariant: { ...k('UnionVariant', ':'), ...a('UnionVariant', 'name', 'type') },
        TypeRef: {
            ...calls('TypeRef', 'PrimitiveTypeRef', 'ArrayTypeRef', 'BytesTypeRef', 'StringTypeRef', 'VecTypeRef', 'EndpointTypeRef', 'NotificationTypeRef', 'ReplyTypeRef', 'NamedTypeRef'),
            ...k('TypeRef', '?'),
            optionalAction: g.action('TypeRef', 'OptionalTypeRef')
        },
        PrimitiveTypeRef: assignedKeywords('PrimitiveTypeRef', 'name', primitives),
        ArrayTypeRef: { ...k('ArrayTypeRef', '[', ';', ']'), ...a('ArrayTypeRef', 'element', 'length') },
        BytesTypeRef: { ...k('BytesTypeRef', 'bytes', '[', ']'), ...a('BytesTypeRef', 'capacity') },
        StringTypeRef: { ...k('StringTypeRef', 'string', '[', ']'), ...a('StringTypeRef', 'capacity') },
        VecTypeRef: { ...k('VecTypeRef', 'vec', '[', ';', ']'), ...a('VecTypeRef', 'element', 'capacity') },
        EndpointTypeRef: { ...k('EndpointTypeRef', 'endpoint', '<', '>'), ...a('EndpointTypeRef', 'interface') },
        NotificationTypeRef: { ...k('NotificationTypeRef', 'notification'), action: g.action('NotificationTypeRef', 'NotificationTypeRef') },
        ReplyTypeRef: { ...k('ReplyTypeRef', 'reply', '<', '.', '>'), ...a('ReplyTypeRef', 'interface', 'method') },
        NamedTypeRef: a('NamedTypeRef', 'type'),
        InterfaceDecl: { ...k('InterfaceDecl', 'interface', '{', '}'), ...a('InterfaceDecl', 'name', 'methods', 'events') },
        EventDecl: { ...k('EventDecl', 'event', '(', ',', ')'), ...a('EventDecl', 'name', 'params') },
        EventParam: { ...k('EventParam', ':'), ...a('EventParam', 'name', 'type') },
        Method: {
            ...k('Method', '(', ',', ')', '->'),
            ...a('Method', 'annotations', 'name', 'params', 'resultType', 'results', 'raises', 'payload'),
            raisesKeyword: g.keyword('Method', 'raises'),
            oneway: g.assignedKeyword('Method', 'oneway', 'oneway')
        },
        ErrorPayload: { ...k('ErrorPayload', '{', ',', '}'), ...a('ErrorPayload', 'fields') },
        Param: { ...k('Param', ':'), ...a('Param', 'annotations', 'name', 'transfer', 'direction', 'type') },
        Transfer: keywordsOf('Transfer', ['lease', 'shared', 'inline']),
        Direction: keywordsOf('Direction', ['in', 'out', 'inout']),
        Annotation: { ...k('Annotation', '@', '(', ',', ')'), ...a('Annotation', 'name', 'args') },
        AnnotationArg: { ...k('AnnotationArg', '..'), ...a('AnnotationArg', 'value', 'end') },
        DeviceDecl: { ...k('DeviceDecl', 'device', '{', ',', '}'), ...a('DeviceDecl', 'name', 'size', 'registers'), sizeKeyword: g.keyword('DeviceDecl', 'size') },
        DeviceRegister: { ...k('DeviceRegister', ':', 'at'), ...a('DeviceRegister', 'name', 'type', 'offset', 'access') },
        Access: keywordsOf('Access', ['ro', 'wo', 'rw']),
        FunctionDecl: { ...k('FunctionDecl', 'fn', '(', ',', ')', '->'), ...a('FunctionDecl', 'name', 'params', 'returnType', 'body') },
        FunctionParam: { ...k('FunctionParam', ':'), ...a('FunctionParam', 'name', 'type') },
        ServerDecl: { ...k('ServerDecl', 'server', 'implements', '{', '}'), ...a('ServerDecl', 'name', 'interface', 'members') },
        ProgramDecl: { ...k('ProgramDecl', 'program', '{', '}'), ...a('ProgramDecl', 'name', 'members') },
        ComponentMember: calls('ComponentMember', 'StateVar', 'UsesPort', 'DevicePort', 'InterruptPort', 'NotificationPort', 'FunctionDecl', 'Handler', 'InitBlock', 'MainBlock'),
        StateVar: { ...k('StateVar', 'var', ':', '='), ...a('StateVar', 'name', 'type', 'init') },
        UsesPort: { ...k('UsesPort', 'uses', ':'), ...a('UsesPort', 'name', 'interface') },
        DevicePort: { ...k('DevicePort', ':'), ...a('DevicePort', 'name', 'device'), deviceKeyword: g.keyword('DevicePort', 'device') },
        InterruptPort: { ...k('InterruptPort', 'interrupt'), ...a('InterruptPort', 'name') },
        NotificationPort: { ...k('NotificationPort', 'notification'), ...a('NotificationPort', 'name') },
        Handler: {
            ...k('Handler', 'on', '(', ',', ')', '.'),
            ...a('Handler', 'method', 'params', 'body', 'eventDecl'),
            interruptPort: g.assigned('Handler', 'port', 0),
            notificationPort: g.assigned('Handler', 'port', 1),
            usesPort: g.assigned('Handler', 'port', 2),
            event: g.assignedKeyword('Handler', 'event', 'event'),
            interrupt: g.assignedKeyword('Handler', 'event', 'interrupt'),
            notification: g.assignedKeyword('Handler', 'event', 'notification')
        },
        HandlerParam: a('HandlerParam', 'name'),
        InitBlock: { ...k('InitBlock', 'init'), ...a('InitBlock', 'body') },
        MainBlock: { ...k('MainBlock', 'main'), ...a('MainBlock', 'body') },
        SystemDecl: { ...k('SystemDecl', 'system', '{', '}'), ...a('SystemDecl', 'name', 'items') },
        SystemItem: calls('SystemItem', 'Instance', 'DeviceInstance', 'Connection', 'Supervision', 'KernelSetting'),
        Instance: { ...k('Instance', 'instance', ':', '{', ',', '}'), ...a('Instance', 'name', 'component', 'properties') },
        DeviceInstance: { ...k('DeviceInstance', ':', '{', ',', '}'), ...a('DeviceInstance', 'name', 'device', 'properties'), deviceKeyword: g.keyword('DeviceInstance', 'device') },
        Property: { ...k('Property', ':'), ...a('Property', 'name', 'value') },
        Connection: { ...k('Connection', 'connect', '->', '.'), ...a('Connection', 'source', 'target', 'targetPort', 'badge'), badgeKeyword: g.keyword('Connection', 'badge') },
        PortRef: { ...k('PortRef', '.'), ...a('PortRef', 'instance', 'port') },
        Supervision: { ...k('Supervision', 'supervise', 'restart'), ...a('Supervision', 'target', 'limit') },
        KernelSetting: { ...k('KernelSetting', 'kernel', ':'), ...a('KernelSetting', 'personality') },
        Block: { ...k('Block', '{', '}'), ...a('Block', 'statements') },
        Statement: calls('Statement', 'LetStmt', 'IfStmt', 'MatchStmt', 'WhileStmt', 'ForStmt', 'BreakStmt', 'ContinueStmt', 'ReturnStmt', 'ReplyStmt', 'RaiseStmt', 'EmitStmt', 'PrintStmt', 'AssertStmt', 'Block', 'ExprStatement'),
        LetStmt: {
            ...k('LetStmt', '(', ',', ')', ':', '='),
            ...a('LetStmt', 'bindings', 'type', 'value'),
            let: g.assignedKeyword('LetStmt', 'kind', 'let'),
            var: g.assignedKeyword('LetStmt', 'kind', 'var')
        },
        Binding: a('Binding', 'name'),
        IfStmt: { ...k('IfStmt', 'if', 'let', '='), ...a('IfStmt', 'binding', 'condition', 'then', 'elseIf', 'else'), elseKeyword: g.keyword('IfStmt', 'else') },
        MatchStmt: { ...k('MatchStmt', 'match', '{', '}'), ...a('MatchStmt', 'value', 'arms') },
        MatchArm: {
            ...k('MatchArm', '(', ')'),
            ...a('MatchArm', 'variant', 'binding', 'body'),
            otherwise: g.assignedKeyword('MatchArm', 'otherwise', 'else')
        },
        WhileStmt: { ...k('WhileStmt', 'while'), ...a('WhileStmt', 'condition', 'body') },
        ForStmt: { ...k('ForStmt', 'for', 'in', '..'), ...a('ForStmt', 'variable', 'from', 'to', 'body') },
        BreakStmt: { ...k('BreakStmt', 'break'), action: g.action('BreakStmt', 'BreakStmt') },
        ContinueStmt: { ...k('ContinueStmt', 'continue'), action: g.action('ContinueStmt', 'ContinueStmt') },
        ReturnStmt: { ...k('ReturnStmt', 'return'), ...a('ReturnStmt', 'value'), action: g.action('ReturnStmt', 'ReturnStmt') },
        ReplyStmt: { ...k('ReplyStmt', 'reply'), ...a('ReplyStmt', 'value'), action: g.action('ReplyStmt', 'ReplyStmt') },
        RaiseStmt: { ...k('RaiseStmt', 'raise'), ...a('RaiseStmt', 'value', 'payload') },
        ErrorPayloadValue: { ...k('ErrorPayloadValue', '{', ',', '}'), ...a('ErrorPayloadValue', 'fields') },
        EmitStmt: { ...k('EmitStmt', 'emit', '(', ',', ')'), ...a('EmitStmt', 'event', 'args') },
        PrintStmt: { ...k('PrintStmt', 'print', '(', ',', ')'), ...a('PrintStmt', 'format', 'args') },
        AssertStmt: { ...k('AssertStmt', 'assert', '(', ',', ')'), ...a('AssertStmt', 'condition', 'message') },
        ExprStatement: { ...calls('ExprStatement', 'Expr'), ...a('ExprStatement', 'op', 'value'), action: g.action('ExprStatement', 'AssignStmt') },
        AssignOp: keywordsOf('AssignOp', ['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']),
        Expr: { ...k('Expr', 'catch'), ...calls('Expr', 'BinaryExpr'), ...a('Expr', 'binding', 'handler'), action: g.action('Expr', 'CatchExpr') },
        BinaryExpr: infix,
        CastExpr: { ...k('CastExpr', 'as'), ...calls('CastExpr', 'UnaryExpr'), ...a('CastExpr', 'type'), action: g.action('CastExpr', 'CastExpr') },
        UnaryExpr: {
            ...k('UnaryExpr', 'try'),
            ...calls('UnaryExpr', 'PostfixExpr'),
            ...a('UnaryExpr', 'operand', 'call'),
            unary: g.action('UnaryExpr', 'UnaryExpr'),
            tryAction: g.action('UnaryExpr', 'TryExpr'),
            '-': g.assignedKeyword('UnaryExpr', 'op', '-'),
            '!': g.assignedKeyword('UnaryExpr', 'op', '!'),
            '~': g.assignedKeyword('UnaryExpr', 'op', '~')
        },
        PostfixExpr: {
            ...k('PostfixExpr', '.', '(', ',', ')', '[', ']'),
            ...calls('PostfixExpr', 'FloatLiteral', 'IntLiteral', 'BoolLiteral', 'CharLiteral', 'StringLiteral', 'NoneLiteral', 'DeferExpr', 'BuiltinCall', 'StructLiteral', 'NameRef', 'ArrayLiteral', 'ParenOrTuple'),
            ...a('PostfixExpr', 'member', 'args', 'index', 'payload'),
            memberAction: g.action('PostfixExpr', 'MemberExpr'),
            callAction: g.action('PostfixExpr', 'CallExpr'),
            indexAction: g.action('PostfixExpr', 'IndexExpr'),
            answerAction: g.action('PostfixExpr', 'AnswerExpr'),
            reply: g.assignedKeyword('PostfixExpr', 'answer', 'reply'),
            raise: g.assignedKeyword('PostfixExpr', 'answer', 'raise')
        },
        DeferExpr: { ...k('DeferExpr', 'defer'), action: g.action('DeferExpr', 'DeferExpr') },
        NoneLiteral: { ...k('NoneLiteral', 'none'), action: g.action('NoneLiteral', 'NoneLiteral') },
        IntLiteral: a('IntLiteral', 'value'),
        FloatLiteral: a('FloatLiteral', 'value'),
        BoolLiteral: { true: g.assignedKeyword('BoolLiteral', 'value', 'true'), ...k('BoolLiteral', 'false'), action: g.action('BoolLiteral', 'BoolLiteral') },
        CharLiteral: a('CharLiteral', 'value'),
        StringLiteral: a('StringLiteral', 'value'),
        StructLiteral: { ...k('StructLiteral', '{', ',', '}'), ...a('StructLiteral', 'type', 'fields') },
        FieldInit: { ...k('FieldInit', ':'), ...a('FieldInit', 'field', 'value') },
        NameRef: a('NameRef', 'target'),
        ArrayLiteral: { ...k('ArrayLiteral', '[', ';', ',', ']'), ...a('ArrayLiteral', 'elements', 'count') },
        ParenOrTuple: { ...k('ParenOrTuple', '(', ',', ')'), ...calls('ParenOrTuple', 'Expr'), ...a('ParenOrTuple', 'elements'), action: g.action('ParenOrTuple', 'TupleExpr') },
        BuiltinCall: { ...k('BuiltinCall', '(', ',', ')'), ...a('BuiltinCall', 'name', 'args') },
        BuiltinName: keywordsOf('BuiltinName', ['signal', 'wait', 'poll', 'badge', 'len', 'pending', 'push']),
        ArmName: { ...k('ArmName', 'none'), ID: g.terminal('ArmName', 'ID') },
        QualifiedName: { ...k('QualifiedName', '.'), ID: g.terminal('QualifiedName', 'ID') }
    };
    return table as unknown as FeatureTable;
}
