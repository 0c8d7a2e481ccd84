import ArgumentParser
import Reports

/// `huzhu report controls`: 内部控制执行情况表.
struct ControlsReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controls",
        abstract: "内部控制执行情况表: what each key holder filed, reviewed, approved, paid and posted; every large amount with its approvers; every exception.",
        discussion: """
            For the audit committee's review of separation of duties: per key holder the claims filed, \
            reviewed, approved (and the amount finally approved), rejected and paid, the entries posted \
            and proposed, and the entries, payment batches and refunds approved; every claim and \
            proposed entry decided by two approvers and every payment batch with its approver and the \
            clerks who paid it; and every exception: reversals, revoked approvals, returned payments, \
            approvals lowered below the assessment (with the reason), rejected or lapsed proposals, and \
            any plain entry on the plan's accounts. --level and --all do not apply.

            Examples:
              huzhu report controls --year 2026
              huzhu report controls --month 2026-06 --format html --out 内控-2026-06.html
            """
    )

    @OptionGroup var options: ReportOptions

    func run() throws {
        try options.run(ControlsReport())
    }
}
