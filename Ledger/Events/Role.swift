/// What a registered key may sign. A person may hold several roles, but the rules of
/// separation of duties (the filer of a claim may not approve it) still apply per key.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// 管理员: creates the ledger, registers and revokes keys, publishes rules, closes months.
    case admin
    /// 经办员: records contributions, files claims, posts entries.
    case clerk
    /// 审核/审批: reviews and approves or rejects claims.
    case approver
    /// 经审: reads and verifies; signs nothing.
    case auditor

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Parses "clerk,approver" into roles, rejecting unknown names.
    public static func parseList(_ text: String) throws(LedgerInputError) -> [Role] {
        var roles: Set<Role> = []
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: " ")
            guard let role = Role(rawValue: name) else {
                throw LedgerInputError(field: "roles", value: text,
                                       reason: "\"\(name)\" is not a role; use admin, clerk, approver or auditor")
            }
            roles.insert(role)
        }
        guard !roles.isEmpty else {
            throw LedgerInputError(field: "roles", value: text, reason: "name at least one role")
        }
        return roles.sorted()
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> String {
        String(drop(while: { $0 == character }).reversed().drop(while: { $0 == character }).reversed())
    }
}
