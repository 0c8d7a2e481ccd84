/// The signature lines at the foot of a union finance form. Each report prints them so the
/// page can be signed and filed as it comes off the printer.
public enum SignOff {
    /// In the order the forms print them, left to right: the chair approves, the finance
    /// head answers for the figures, the reviewer checks, the preparer made the table.
    public static let roles = ["工会主席", "财务负责人", "复核", "制表"]
}
