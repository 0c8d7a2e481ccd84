/// `checkpoint.signed`: a signed tree head recorded in the log, covering the events before it.
public struct CheckpointSignedEvent: EventValue, Equatable {
    public static let kind = EventKind.checkpointSigned
    public let checkpoint: Checkpoint

    public init(checkpoint: Checkpoint) { self.checkpoint = checkpoint }

    public init(_ fields: EventFields) throws {
        do { self.init(checkpoint: try Checkpoint(json: try fields.value("checkpoint"))) } catch let error as EventDecodingError { throw error } catch {
            throw fields.badField("has a checkpoint that does not read: \(error)")
        }
    }

    public func draft() throws(LedgerInputError) -> EventDraft { try EventDraft(kind: Self.kind, fields: ["checkpoint": checkpoint.json]) }
}
