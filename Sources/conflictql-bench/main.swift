// conflictql-bench: the events benchmark of shared/bench (QUERIES.md) for ConflictQL, with the
// wider questions of issue 15 (WiderBenchmark.swift). It loads an ACLED-shaped CSV (a path, or
// one it writes itself) and the small `regions` table, answers Q1-Q19, and prints the time of
// the load and of each query, rows and MB per second, and the peak memory of the process.
// `--threads N` limits every operator to N cores, not only the load.
//
//   swift run -c release conflictql-bench FILE.csv           # time a file
//   swift run -c release conflictql-bench --generate 1000000  # write a file, then time it
//   swift run -c release conflictql-bench FILE.csv --answers  # the answers as the peers print them
//   conflictql-bench FILE.csv --only Q07,Q12 --repeat 5       # some questions, best of five
//   conflictql-bench --write-regions FILE                     # the regions table, for the peers
//   conflictql-bench --patterns [FILE.csv]                    # regular expressions: RE2, glibc, pathological
//   conflictql-bench --lsp [LINES]                            # the language server on a script of 1,000 lines

import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

System.keepFreedMemory()

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func peakMemoryMiB() -> Double {
    Double(CLibrary.peakResidentBytes()) / 1_048_576
}

/// The memory the process holds now (VmRSS), after the load: the loaded tables, mostly.
func residentMemoryMiB() -> Double {
    guard let file = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmRSS:") {
            let kilobytes = text.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kilobytes / 1024
        }
    }
    return 0
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
var patternsOnly = false
var threads: Int? = nil
var repeats = 3
var only: Set<String>? = nil
var questionSet = "all"
while let argument = arguments.first {
    arguments.removeFirst()
    switch argument {
    case "--generate":
        guard let n = arguments.first.flatMap({ Int($0) }), n > 0 else { fail("--generate needs a number of rows") }
        generate = n
        arguments.removeFirst()
    case "--answers": answersOnly = true
    case "--patterns": patternsOnly = true
    case "--lsp":
        let lines = arguments.first.flatMap { Int($0) } ?? 1000
        if arguments.first.flatMap({ Int($0) }) != nil { arguments.removeFirst() }
        runLanguageServerBenchmark(lines: lines)
        exit(0)
    case "--threads":
        guard let n = arguments.first.flatMap({ Int($0) }), n > 0 else { fail("--threads needs a number") }
        threads = n
        arguments.removeFirst()
    case "--repeat":
        guard let n = arguments.first.flatMap({ Int($0) }), n > 0 else { fail("--repeat needs a number") }
        repeats = n
        arguments.removeFirst()
    case "--only":
        guard let list = arguments.first else { fail("--only needs question names, as Q01,Q07") }
        only = Set(list.split(separator: ",").map { String($0) })
        arguments.removeFirst()
    case "--questions":
        guard let set = arguments.first, ["five", "wider", "all"].contains(set) else { fail("--questions needs five, wider or all") }
        questionSet = set
        arguments.removeFirst()
    case "--write-regions":
        guard let target = arguments.first, let file = fopen(target, "w") else { fail("--write-regions needs a file it can write") }
        fputs(EventsBenchmark.regionsCSV, file)
        fclose(file)
        exit(0)
    case "-h", "--help":
        print("usage: conflictql-bench [FILE.csv] [--generate ROWS] [--threads N] [--repeat K] [--answers] [--only Q01,...] [--questions five|wider|all] | --write-regions FILE | --patterns [FILE.csv] | --lsp [LINES]")
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
if patternsOnly {
    runPatternBenchmark(file: path)
    exit(0)
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
if let threads { System.limitThreads(threads) }
let loadStarted = now()
let report: LoadReport
do {
    report = try session.load(path: path, as: "events", options: options)
} catch {
    fail("cannot load \(error.description)")
}
// The dimension table of Q14, from a file as an analyst's would be (its load is not timed).
let regionsPath = "/tmp/conflictql-bench-regions-\(getpid()).csv"
if let file = fopen(regionsPath, "w") {
    fputs(EventsBenchmark.regionsCSV, file)
    fclose(file)
}
do {
    try session.load(path: regionsPath, as: "regions")
} catch {
    fail("cannot load the regions table: \(error.description)")
}
unlink(regionsPath)
let loadSeconds = now() - loadStarted
let residentAfterLoad = residentMemoryMiB()
// What the loaded table's columns hold, the largest first (the table itself, not a copy).
var columnBytes: [(name: String, bytes: Int)] = []
if case .table(let events)? = try? session.run("events").last {
    columnBytes = zip(events.schema.fields, events.columns).map { ($0.name, $1.heldBytes) }.sorted { $0.bytes > $1.bytes }
}

var questions: [EventsBenchmark.Question] = []
if questionSet != "wider" { questions += EventsBenchmark.queries.map { .init(name: "Q0" + $0.name.dropFirst(), text: $0.text, digest: false) } }
if questionSet != "five" { questions += EventsBenchmark.widerQueries }
if let only { questions = questions.filter { only.contains($0.name) } }

var answers: [String] = []
var queryTimes: [Double] = []
for question in questions {
    var best = Double.infinity
    var result = ""
    for _ in 0..<(answersOnly ? 1 : repeats) {
        let started = now()
        do {
            let results = try session.run(question.text)
            best = min(best, now() - started)
            if case .table(let table) = results.last { result = EventsBenchmark.answer(table, digest: question.digest) }
        } catch let error as DiagnosticError {
            fail(DiagnosticRenderer().render(error.diagnostics, in: error.source))
        } catch {
            fail("\(error)")
        }
    }
    queryTimes.append(best)
    answers.append("## \(question.name)\n\(result)")
}

if answersOnly {
    print(answers.joined(separator: "\n"))
    // Each phase's time on standard error, as Tests/Bench/peer_wider.py --timing prints them.
    printError("load\t\(format3(loadSeconds))\n")
    for (question, seconds) in zip(questions, queryTimes) { printError("\(question.name)\t\(format3(seconds))\n") }
    exit(0)
}
let megabytes = Double(report.bytes) / 1_048_576
print("file      \(path)")
print("rows      \(report.rows)  (\(report.columns) columns, \(String(Int(megabytes))) MiB)")
print("load      \(format3(loadSeconds)) s  \(Int(Double(report.rows) / loadSeconds)) rows/s  \(Int(megabytes / loadSeconds)) MiB/s")
// The load's steps (CSV: the prelude, the parse, the stitch; the layout check), and the rest.
if !report.phases.isEmpty {
    let rest = loadSeconds - report.phases.reduce(0) { $0 + $1.seconds }
    print("  steps   " + (report.phases + [("other", rest)]).map { "\($0.name) \(format3($0.seconds))" }.joined(separator: ", "))
}
for (question, seconds) in zip(questions, queryTimes) {
    print("\(question.name + String(repeating: " ", count: max(1, 10 - question.name.count)))\(format3(seconds)) s  \(Int(Double(report.rows) / max(seconds, 1e-9))) rows/s  (best of \(repeats))")
}
print("queries   \(format3(queryTimes.reduce(0, +))) s")
print("total     \(format3(loadSeconds + queryTimes.reduce(0, +))) s")
print("peak      \(Int(peakMemoryMiB())) MiB")
print("resident  \(Int(residentAfterLoad)) MiB after the load (the file: \(Int(megabytes)) MiB)")
let tableMiB = Double(columnBytes.reduce(0) { $0 + $1.bytes }) / 1_048_576
print("table     \(Int(tableMiB.rounded())) MiB in its columns: "
      + columnBytes.prefix(6).map { "\($0.name) \(Int((Double($0.bytes) / 1_048_576).rounded()))" }.joined(separator: ", "))
