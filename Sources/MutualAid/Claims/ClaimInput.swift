import Foundation
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
        exactSettlementKey = settlement.map { "S:" + $0 } ?? "I:\(invoice ?? "")|\(place ?? "")|\(serviceDate.text)"
        settlementKey = ClaimInput.normalisedSettlementKey(exactSettlementKey)
        // Canonical JSON holds integers up to 2^53 − 1 exactly; say which figure is larger.
        let figures: [(field: String, value: Int64?)] = [("total cost", totalCost?.fen), ("covered", insuranceCovered?.fen),
                                                         ("own share", ownShare?.fen), ("loss", loss?.fen), ("grade", grade.map(Int64.init))]
        for figure in figures {
            if let value = figure.value, value.magnitude > JSONValue.integerMagnitudeMax.magnitude {
                throw LedgerInputError(row: row, field: figure.field, value: "\(value)",
                                       reason: CanonicalJSONError.integerOutOfRange(value).description)
            }
        }
        // Written here, on the thread that reads a settlement file, not on the filing thread;
        // the value only in debug builds, which check the bytes against it.
        encodedJSON = Self.recorded(member: member, benefit: benefit, settlementKey: settlementKey, serviceDate: serviceDate,
                                    documents: documents, totalCost: totalCost?.fen, covered: insuranceCovered?.fen, ownShare: ownShare?.fen,
                                    loss: loss?.fen, grade: grade.map(Int64.init), buildingValue: _isDebugAssertConfiguration()).bytes
    }

    /// The input as the event records it, in canonical bytes written in the keys' canonical
    /// order (benefit, documents, grade, insuranceCoveredFen, lossFen, member, ownShareFen,
    /// serviceDate, settlementKey, totalCostFen) rather than by sorting a dictionary's keys per
    /// claim, and, if `buildingValue`, as a value too. Every integer has been checked to fit.
    private static func recorded(member: MemberID, benefit: String, settlementKey: String, serviceDate: LedgerDate, documents: [String],
                                 totalCost: Int64?, covered: Int64?, ownShare: Int64?, loss: Int64?, grade: Int64?,
                                 buildingValue: Bool) -> (value: JSONValue?, bytes: [UInt8]) {
        var object = [String: JSONValue](minimumCapacity: buildingValue ? 10 : 0)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        func key(_ name: String) {
            bytes.append(bytes.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            CanonicalJSON.write(name, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
        func text(_ name: String, _ value: String) {
            key(name)
            CanonicalJSON.write(value, into: &bytes)
            if buildingValue { object[name] = .string(value) }
        }
        func figure(_ name: String, _ value: Int64?) {
            guard let value else { return }
            key(name)
            try? CanonicalJSON.write(value, into: &bytes)  // in range: checked by the caller
            if buildingValue { object[name] = .integer(value) }
        }
        text("benefit", benefit)
        key("documents")
        bytes.append(UInt8(ascii: "["))
        for (index, document) in documents.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            CanonicalJSON.write(document, into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        if buildingValue { object["documents"] = .array(documents.map { .string($0) }) }
        figure("grade", grade)
        figure("insuranceCoveredFen", covered)
        figure("lossFen", loss)
        text("member", member.value)
        figure("ownShareFen", ownShare)
        text("serviceDate", serviceDate.text)
        text("settlementKey", settlementKey)
        figure("totalCostFen", totalCost)
        bytes.append(UInt8(ascii: "}"))
        guard buildingValue else { return (nil, bytes) }
        let value = JSONValue.object(object)
        assert((try? CanonicalJSON.encode(value)) == bytes, "a claim's input bytes differ from its value")
        return (value, bytes)
    }

    /// Unique across the ledger: the settlement id, or invoice + hospital + date, compared
    /// in one spelling (`normalisedSettlementKey`), so `yb-case-1` or a full-width `ＹＢ-ＣＡＳＥ-１`
    /// is the claim `YB-CASE-1` again, not a second live claim.
    public let settlementKey: String
    /// The key as typed: claims filed before keys were normalised were keyed by it, and a
    /// repeat of one must still be found.
    let exactSettlementKey: String

    /// One spelling of a settlement key: compatibility forms folded (full-width letters and
    /// digits to ASCII, NFKC) and letters upper-cased.
    public static func normalisedSettlementKey(_ key: String) -> String {
        key.precomposedStringWithCompatibilityMapping.uppercased()
    }

    /// The input as the event records it: everything the rules engine used, nothing personal.
    /// Built when asked (a refiled claim compared with the one on file), not per claim.
    var json: JSONValue {
        Self.recorded(member: member, benefit: benefit, settlementKey: settlementKey, serviceDate: serviceDate, documents: documents,
                      totalCost: totalCost?.fen, covered: insuranceCovered?.fen, ownShare: ownShare?.fen, loss: loss?.fen,
                      grade: grade.map(Int64.init), buildingValue: true).value ?? .null
    }
    /// `json` in canonical bytes, written on the reading thread for `ClaimFiledData`.
    let encodedJSON: [UInt8]

    var facts: ClaimFacts {
        ClaimFacts(serviceDate: serviceDate, filedOn: filedOn, totalCost: totalCost, insuranceCovered: insuranceCovered,
                   ownShareInScope: ownShare, lossAmount: loss, disabilityGrade: grade)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
