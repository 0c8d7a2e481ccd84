import Ledger

/// A JSON array printed element by element, for lists of any length: the bytes are those
/// `printJSON(.array(elements))` prints (canonical JSON and a line feed), without the
/// array ever held whole.
struct JSONArrayStream {
    private var count = 0

    mutating func add(_ element: JSONValue) throws {
        print(count == 0 ? "[" : ",", terminator: "")
        print(String(decoding: try CanonicalJSON.encode(element), as: UTF8.self), terminator: "")
        count += 1
    }

    func finish() {
        print(count == 0 ? "[]" : "]")
    }
}
