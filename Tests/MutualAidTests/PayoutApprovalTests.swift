import Ledger
import Testing
@testable import MutualAid

@Suite("Payout approval: lower with a reason, never higher")
struct PayoutApprovalTests {
    private let computation = PayoutComputation(benefitCode: "medical", outcome: .payable(Money(fen: 185_175)), steps: nil)

    @Test func theComputedAmountNeedsNoReason() throws {
        let approval = try PayoutApproval(computation: computation, approved: Money(fen: 185_175))
        #expect(approval.approved == Money(fen: 185_175))
        #expect(!approval.isReduced)
        #expect(approval.reason == nil)
    }

    @Test func aLowerAmountNeedsAReason() throws {
        #expect(throws: PayoutApprovalError.reasonRequired(approved: Money(fen: 150_000), computed: Money(fen: 185_175))) {
            try PayoutApproval(computation: computation, approved: Money(fen: 150_000))
        }
        #expect(throws: PayoutApprovalError.reasonRequired(approved: Money(fen: 150_000), computed: Money(fen: 185_175))) {
            try PayoutApproval(computation: computation, approved: Money(fen: 150_000), reason: "  \n")
        }
        let approval = try PayoutApproval(computation: computation, approved: Money(fen: 150_000),
                                          reason: " 发票 3 中 235.75 元为自费药品 ")
        #expect(approval.isReduced)
        #expect(approval.reason == "发票 3 中 235.75 元为自费药品")
        #expect(PayoutApprovalError.reasonRequired(approved: Money(fen: 150_000), computed: Money(fen: 185_175)).description
            == "approving 1,500.00 instead of the computed 1,851.75 needs a reason")
    }

    @Test func aHigherOrZeroAmountOrARejectedClaimIsRefused() {
        #expect(throws: PayoutApprovalError.aboveComputed(approved: Money(fen: 185_176), computed: Money(fen: 185_175))) {
            try PayoutApproval(computation: computation, approved: Money(fen: 185_176), reason: "rounding")
        }
        #expect(throws: PayoutApprovalError.notPositive(approved: .zero)) {
            try PayoutApproval(computation: computation, approved: .zero, reason: "none")
        }
        let rejected = PayoutComputation.rejected(benefitCode: "medical", .notEnrolled)
        #expect(throws: PayoutApprovalError.claimRejected(.notEnrolled)) {
            try PayoutApproval(computation: rejected, approved: Money(fen: 100))
        }
        #expect(throws: PayoutApprovalError.reasonTooLong(length: 501)) {
            try PayoutApproval(computed: Money(fen: 100), approved: Money(fen: 50), reason: String(repeating: "因", count: 501))
        }
    }
}
