/**
 * Stable codes for every diagnostic the checker reports. Tests, quick fixes and docs/LANGUAGE.md refer to
 * these; the message text may be improved, the codes stay.
 */
export const IssueCodes = {
    // declarations and names
    DuplicateName: 'duplicate-name',
    AmbiguousName: 'ambiguous-name',
    UnresolvedImport: 'unresolved-import',
    DuplicateImport: 'duplicate-import',
    NotConstant: 'not-constant',
    ConstantOutOfRange: 'constant-out-of-range',
    DivisionByZero: 'division-by-zero',
    InvalidLiteral: 'invalid-literal',
    InvalidEnumBase: 'invalid-enum-base',
    EmptyEnum: 'empty-enum',
    DuplicateEnumValue: 'duplicate-enum-value',
    InvalidBitfieldBase: 'invalid-bitfield-base',
    InvalidBitWidth: 'invalid-bit-width',
    BitfieldOverflow: 'bitfield-overflow',
    RecursiveStruct: 'recursive-struct',
    InvalidFieldType: 'invalid-field-type',
    InvalidLength: 'invalid-length',
    InvalidRegister: 'invalid-register',
    RegisterOverlap: 'register-overlap',
    // interfaces
    OnewayWithResults: 'oneway-with-results',
    OnewayRaises: 'oneway-raises',
    ZeroErrorValue: 'zero-error-value',
    InvalidTransfer: 'invalid-transfer',
    UnknownAnnotation: 'unknown-annotation',
    InvalidAnnotation: 'invalid-annotation',
    DuplicateOrdinal: 'duplicate-ordinal',
    EmptyInterface: 'empty-interface',
    // components
    MissingHandler: 'missing-handler',
    DuplicateHandler: 'duplicate-handler',
    HandlerArity: 'handler-arity',
    MisplacedBlock: 'misplaced-block',
    MissingMain: 'missing-main',
    // statements
    TypeMismatch: 'type-mismatch',
    MissingValue: 'missing-value',
    NotAssignable: 'not-assignable',
    MisplacedStatement: 'misplaced-statement',
    ReplyMismatch: 'reply-mismatch',
    OnewayReply: 'oneway-reply',
    MissingReply: 'missing-reply',
    MissingReturn: 'missing-return',
    UnreachableCode: 'unreachable-code',
    UnusedValue: 'unused-value',
    FormatMismatch: 'format-mismatch',
    // expressions
    OperatorMismatch: 'operator-mismatch',
    InvalidCast: 'invalid-cast',
    NotCallable: 'not-callable',
    WrongArity: 'wrong-arity',
    UnhandledError: 'unhandled-error',
    InvalidTry: 'invalid-try',
    InvalidCatch: 'invalid-catch',
    NotAValue: 'not-a-value',
    IndexOutOfBounds: 'index-out-of-bounds',
    MissingField: 'missing-field',
    RegisterAccess: 'register-access',
    InvalidBuiltin: 'invalid-builtin',
    // systems
    UnknownProperty: 'unknown-property',
    InvalidProperty: 'invalid-property',
    MissingProperty: 'missing-property',
    InterfaceMismatch: 'interface-mismatch',
    InvalidConnection: 'invalid-connection',
    DuplicateConnection: 'duplicate-connection',
    DuplicateBadge: 'duplicate-badge',
    UnconnectedPort: 'unconnected-port',
    DuplicateSupervision: 'duplicate-supervision',
    EmptySystem: 'empty-system'
} as const;

export type IssueCode = typeof IssueCodes[keyof typeof IssueCodes];
