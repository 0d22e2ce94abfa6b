// conflictql-bench: the events benchmark of shared/bench (QUERIES.md) for ConflictQL. It loads
// an ACLED-shaped CSV (a path, or one it writes itself), answers Q1-Q5, and prints the time of
// the load and of each query, rows and MB per second, and the peak memory of the process.
//
//   swift run -c release conflictql-bench FILE.csv           # time a file
//   swift run -c release conflictql-bench --generate 1000000  # write a file, then time it
//   swift run -c release conflictql-bench FILE.csv --answers  # the answers as the peers print them

import ConflictQL
#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func printError(_ message: String) {
    var text = message
    text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    printError("conflictql-bench: \(message)\n")
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var path: String? = nil
var generate: Int? = nil
var answersOnly = false
var threads: Int? = nil
var repeats = 3
while let argument = arguments.first {
    arguments.removeFirst()
    switch argument {
    case "--generate":
        guard let n = arguments.first.flatMap({ Int($0) }), n > 0 else { fail("--generate needs a number of rows") }
        generate = n
        arguments.removeFirst()
    case "--answers": answersOnly = true
    case "--threads":
        guard let n = arguments.first.flatMap({ Int($0) }), n > 0 else { fail("--threads needs a number") }
        threads = n
        arguments.removeFirst()
    case "--repeat":
        guard let n = arguments.first.flatMap({ Int($0) }), n > 0 else { fail("--repeat needs a number") }
        repeats = n
        arguments.removeFirst()
    case "-h", "--help":
        print("usage: conflictql-bench [FILE.csv] [--generate ROWS] [--threads N] [--repeat K] [--answers]")
        exit(0)
    default:
        if argument.hasPrefix("-") { fail("unknown option \(argument)") }
        path = argument
    }
}

if let rows = generate {
    let target = path ?? "/tmp/conflictql-events-\(rows).csv"
    guard let file = fopen(target, "w") else { fail("cannot write \(target)") }
    let started = now()
    EventsBenchmark.csv(rows: rows) { fputs($0, file) }
    fclose(file)
    printError("wrote \(rows) rows to \(target) in \(format3(now() - started)) s\n")
    path = target
}
guard let path else { fail("give a CSV file, or --generate ROWS") }

func format3(_ v: Double) -> String {
    let ms = Int((v * 1000).rounded())
    return "\(ms / 1000).\(String(ms % 1000).leftPadded3())"
}

extension String {
    func leftPadded3() -> String { String(repeating: "0", count: max(0, 3 - count)) + self }
}

let session = Session()
var options = LoadOptions()
options.threads = threads
let loadStarted = now()
let report: LoadReport
do {
    report = try session.load(path: path, as: "events", options: options)
} catch {
    fail("cannot load \(error.description)")
}
let loadSeconds = now() - loadStarted

var answers: [String] = []
var queryTimes: [Double] = []
for (name, text) in EventsBenchmark.queries {
    var best = Double.infinity
    var result = ""
    for _ in 0..<(answersOnly ? 1 : repeats) {
        let started = now()
        do {
            let results = try session.run(text)
            best = min(best, now() - started)
            if case .table(let table) = results.last { result = EventsBenchmark.tsv(table) }
        } catch let error as DiagnosticError {
            fail(DiagnosticRenderer().render(error.diagnostics, in: error.source))
        } catch {
            fail("\(error)")
        }
    }
    queryTimes.append(best)
    answers.append("## \(name)\n\(result)")
}

if answersOnly {
    print(answers.joined(separator: "\n"))
    exit(0)
}
let megabytes = Double(report.bytes) / 1_048_576
print("file      \(path)")
print("rows      \(report.rows)  (\(report.columns) columns, \(String(Int(megabytes))) MiB)")
print("load      \(format3(loadSeconds)) s  \(Int(Double(report.rows) / loadSeconds)) rows/s  \(Int(megabytes / loadSeconds)) MiB/s")
for ((name, _), seconds) in zip(EventsBenchmark.queries, queryTimes) {
    print("\(name)        \(format3(seconds)) s  \(Int(Double(report.rows) / max(seconds, 1e-9))) rows/s  (best of \(repeats))")
}
print("queries   \(format3(queryTimes.reduce(0, +))) s")
print("total     \(format3(loadSeconds + queryTimes.reduce(0, +))) s")
print("peak      \(Int(peakMemoryMiB())) MiB")
