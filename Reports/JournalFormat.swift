/// The plain-text accounting tools Huzhu exports to, so an auditor can check the books
/// with a tool Huzhu did not write.
public enum JournalFormat: String, Sendable, CaseIterable {
    case beancount
    case hledger

    public var syntax: any JournalSyntax {
        switch self {
        case .beancount: return BeancountSyntax()
        case .hledger: return HledgerSyntax()
        }
    }

    /// The usual file extension.
    public var fileExtension: String { self == .beancount ? "beancount" : "journal" }
}
