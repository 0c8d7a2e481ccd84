import Ledger

/// A claim as a clerk files it, from the command line or a row of a settlement file.
public struct ClaimInput: Sendable {
    /// The row of a batch file it came from, for messages (1 for a single claim).
    public var row: Int
    public let member: MemberID
    public let benefit: String
    /// The medical-insurance settlement id (医保结算单号); or else invoice, hospital and date.
    public let settlementID: String?
    public let invoiceNumber: String?
    public let hospital: String?
    public let serviceDate: LedgerDate
    public let filedOn: LedgerDate
    public let totalCost: Money?
    public let insuranceCovered: Money?
    public let ownShare: Money?
    public let loss: Money?
    public let grade: Int?
    public let documents: [String]
    /// Sensitive (PIPL): kept outside the log behind a commitment.
    public let diagnosis: String?

    public init(row: Int = 1, member: MemberID, benefit: String, settlementID: String? = nil, invoiceNumber: String? = nil,
                hospital: String? = nil, serviceDate: LedgerDate, filedOn: LedgerDate, totalCost: Money? = nil,
                insuranceCovered: Money? = nil, ownShare: Money? = nil, loss: Money? = nil, grade: Int? = nil,
                documents: [String] = [], diagnosis: String? = nil) throws(LedgerInputError) {
        let settlement = settlementID?.trimmingSpaces().nilIfEmpty
        let invoice = invoiceNumber?.trimmingSpaces().nilIfEmpty
        let place = hospital?.trimmingSpaces().nilIfEmpty
        guard settlement != nil || (invoice != nil && place != nil) else {
            throw LedgerInputError(row: row, field: "settlement", value: "",
                                   reason: "give the settlement id, or the invoice number and the hospital")
        }
        if let settlement, settlement.utf8.count > 64 {
            throw LedgerInputError(row: row, field: "settlement", value: settlement, reason: "at most 64 characters")
        }
        guard filedOn >= serviceDate else {
            throw LedgerInputError(row: row, field: "filed", value: filedOn.text, reason: "a claim cannot be filed before its service date \(serviceDate)")
        }
        self.row = row
        self.member = member
        self.benefit = benefit
        self.settlementID = settlement
        self.invoiceNumber = invoice
        self.hospital = place
        self.serviceDate = serviceDate
        self.filedOn = filedOn
        self.totalCost = totalCost
        self.insuranceCovered = insuranceCovered
        self.ownShare = ownShare
        self.loss = loss
        self.grade = grade
        self.documents = documents
        self.diagnosis = diagnosis?.trimmingSpaces().nilIfEmpty
        settlementKey = settlement.map { "S:" + $0 } ?? "I:\(invoice ?? "")|\(place ?? "")|\(serviceDate.text)"
        // Built here, on the thread that reads a settlement file, not on the filing thread.
        var object: [String: JSONValue] = ["member": .string(member.value), "benefit": .string(benefit),
                                           "settlementKey": .string(settlementKey), "serviceDate": .string(serviceDate.text),
                                           "documents": .array(documents.map { .string($0) })]
        if let totalCost { object["totalCostFen"] = .integer(totalCost.fen) }
        if let insuranceCovered { object["insuranceCoveredFen"] = .integer(insuranceCovered.fen) }
        if let ownShare { object["ownShareFen"] = .integer(ownShare.fen) }
        if let loss { object["lossFen"] = .integer(loss.fen) }
        if let grade { object["grade"] = .integer(Int64(grade)) }
        // Canonical JSON holds integers up to 2^53 − 1 exactly; say which figure is larger.
        let figures: [(field: String, value: Int64?)] = [("total cost", totalCost?.fen), ("covered", insuranceCovered?.fen),
                                                         ("own share", ownShare?.fen), ("loss", loss?.fen), ("grade", grade.map(Int64.init))]
        for figure in figures {
            if let value = figure.value, value.magnitude > JSONValue.integerMagnitudeMax.magnitude {
                throw LedgerInputError(row: row, field: figure.field, value: "\(value)",
                                       reason: CanonicalJSONError.integerOutOfRange(value).description)
            }
        }
        json = .object(object)
        do {
            encodedJSON = try CanonicalJSON.encode(json)
        } catch {
            throw LedgerInputError(row: row, field: "claim", value: "", reason: error.description)
        }
    }

    /// Unique across the ledger: the settlement id, or invoice + hospital + date.
    public let settlementKey: String

    /// The input as the event records it: everything the rules engine used, nothing personal.
    let json: JSONValue
    /// `json` in canonical bytes, written on the reading thread for `ClaimFiledData`.
    let encodedJSON: [UInt8]
    /// The member, when a `ClaimantLookup` read them ahead.
    var prefetched: Claimant.Prefetched?

    var facts: ClaimFacts {
        ClaimFacts(serviceDate: serviceDate, filedOn: filedOn, totalCost: totalCost, insuranceCovered: insuranceCovered,
                   ownShareInScope: ownShare, lossAmount: loss, disabilityGrade: grade)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
