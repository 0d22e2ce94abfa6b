// The diagnostics any layer may raise: a query cancelled, and a failure that is a bug.

/// IDs every layer may raise.
public enum CoreDiagnostic: String, DiagnosticKind {
    case cancelled = "cancelled"
    case internalError = "internal-error"

    public static let layer = "any layer"

    public var explanation: MessageExplanation {
        switch self {
        case .cancelled:
            MessageExplanation(.error, """
                The query or load was stopped (Ctrl-C at the prompt, or the embedder's cancellation) \
                before it finished; nothing was kept. Only an interruption raises it, never a script \
                on its own.
                """, example: nil)
        case .internalError:
            MessageExplanation(.error, """
                ConflictQL failed in a way it should not: please report the script that caused it. \
                (No script is known to raise it; each one found is a bug, fixed with a test.)
                """, example: nil)
        }
    }
}

extension DiagnosticMessage {
    package static let cancelled = DiagnosticMessage(CoreDiagnostic.cancelled, "cancelled")

    package static func internalError(_ description: String) -> Self {
        DiagnosticMessage(CoreDiagnostic.internalError, description)
    }
}
