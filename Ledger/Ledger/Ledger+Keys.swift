extension Ledger {
    /// Registers `publicKey` with `roles`, signed by an administrator.
    @discardableResult
    public func registerKey(_ publicKey: PublicKey, roles: [Role], holder: String, signer: SigningKey) throws -> Int64 {
        try append(signer: signer) { session in
            if try session.store.key(publicKey.id) != nil { throw LedgerRuleError.keyAlreadyRegistered(publicKey.id) }
            return try session.append(KeyRegisteredEvent(publicKey: publicKey, roles: roles, holder: holder).draft()).seq
        }
    }

    /// Revokes a key: events after this one signed by it are refused and fail verification.
    @discardableResult
    public func revokeKey(_ id: KeyID, reason: String, signer: SigningKey) throws -> Int64 {
        try append(signer: signer) { session in
            guard let key = try session.store.key(id) else { throw LedgerRuleError.unregisteredKey(id) }
            if let revoked = key.revokedSeq { throw LedgerRuleError.revokedKey(id, revokedSeq: revoked) }
            // Without an administrator nobody could register a key, publish a plan or close a
            // month again: the ledger would be locked for good.
            if key.roles.contains(.admin), try !session.store.keys().contains(where: { $0.id != id && $0.roles.contains(.admin) && $0.revokedSeq == nil }) {
                throw LedgerInputError(field: "key", value: id.value,
                                       reason: "is the ledger's last administrator key; register another administrator before revoking it")
            }
            return try session.append(KeyRevokedEvent(keyID: id, reason: reason).draft()).seq
        }
    }
}

extension Ledger {
    /// Opens an account. A sub-account's type must match its parent's, and the parent
    /// must be open; a first-level code outside the chart needs an explicit type.
    @discardableResult
    public func openAccount(code: AccountCode, name: String, type: AccountType?, signer: SigningKey) throws -> Int64 {
        let trimmed = name.trimmingSpaces()
        guard !trimmed.isEmpty, trimmed.count <= 100 else {
            throw LedgerInputError(field: "name", value: name, reason: "an account needs a name of 1 to 100 characters")
        }
        return try append(signer: signer) { session in
            if try session.store.account(code) != nil { throw LedgerRuleError.accountExists(code) }
            var resolvedType = type
            if let parentCode = code.parent {
                guard let parent = try session.store.account(parentCode) else { throw LedgerRuleError.unknownAccount(parentCode) }
                guard parent.isOpen else { throw LedgerRuleError.closedAccount(parentCode) }
                if let type, type != parent.type {
                    throw LedgerInputError(field: "type", value: type.rawValue,
                                           reason: "a sub-account has its parent's type; \(parentCode) is \(parent.type.rawValue)")
                }
                resolvedType = parent.type
            }
            guard let resolvedType else {
                throw LedgerInputError(field: "type", value: "", reason: "a first-level account needs --type (asset, liability, netAssets, revenue, expense)")
            }
            return try session.append(AccountOpenedEvent(code: code, name: trimmed, type: resolvedType).draft()).seq
        }
    }
}
