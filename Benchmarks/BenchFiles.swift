import Foundation
import Ledger

/// The input files the benchmarks feed `huzhu`, written as an office's would be.
enum BenchFiles {
    /// Writes `header` and `count` lines made by `line(index)`, a megabyte at a time.
    static func writeLines(to path: String, header: String, count: Int, line: (Int) throws -> String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer = header + "\n"
        for index in 0..<count {
            buffer += try line(index) + "\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
    }

    /// A roster of `count` members numbered from `first`, each with a resident ID whose check
    /// character is valid and unique to its number (900 a day of birth from 1960).
    static func writeRoster(to path: String, from first: Int = 0, count: Int) throws {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let checks = Array("10X98765432")
        let base = try LedgerDate("1960-01-01").dayNumber
        try writeLines(to: path, header: "name,resident_id,phone,bank_card", count: count) { offset in
            let index = first + offset
            let birth = LedgerDate(dayNumber: base + index / 900)
            let body = String(format: "110105%04d%02d%02d%03d", birth.year, birth.month, birth.day, 100 + index % 900)
            let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
            return "会员\(index),\(body)\(checks[sum % 11]),138\(String(format: "%08d", index)),6222\(String(format: "%012d", index))"
        }
    }
}
