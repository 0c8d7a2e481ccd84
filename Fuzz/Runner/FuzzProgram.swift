import Foundation
import FuzzTargets

/// `huzhu-fuzz`: the fuzz targets (`FuzzTarget`) as one program.
///
/// Built by `scripts/fuzz` with `-sanitize=fuzzer,address -DFUZZING`, it hands its
/// arguments to libFuzzer's driver, which calls the target named by `HUZHU_FUZZ_TARGET`
/// with each input it generates. Built normally, it runs files through a target, to replay
/// what a run found: `huzhu-fuzz json .build-fuzz/findings/json-crash-1f2e…`.
@main
struct FuzzProgram {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
        replay(Array(CommandLine.arguments.dropFirst()))
        #endif
    }

    static func replay(_ arguments: [String]) {
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("usage: huzhu-fuzz \(names) FILE...\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("huzhu-fuzz: cannot read \(path)\n".utf8))
                exit(1)
            }
            target.run(Array(data))
            print("\(name) \(path): passed")
        }
    }
}

#if FUZZING
/// The target this run fuzzes, from `HUZHU_FUZZ_TARGET`.
let fuzzedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["HUZHU_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("HUZHU_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(name)\"")
    }
    return target
}()

/// libFuzzer's callback: one input, through the target. `FuzzProgram.main` hands it to
/// the driver. It is also exported by libFuzzer's name, because the fuzzer runtime links
/// in libFuzzer's own `main`, which refers to it; SwiftPM's `main` is the one that runs.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzedTarget.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer's driver (compiler-rt's FuzzerInterface.h), for a program that has its own
/// `main`: it parses libFuzzer's flags from the arguments and runs the fuzzing loop.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif
