// `conflictql-bench --lsp [LINES]`: how fast the language server answers on a long script
// (issue 28: within 50 ms on 1,000 lines). The script is written here from statements over the
// briefing tables (bindings, pipelines of several lines, comments, a misspelt column); each
// request is timed in-process, as the server answers it after reading the message, best and
// median of 20, by the clock and by the CPU time of the thread (the clock is noise on a busy
// machine).

import ConflictQL
import ConflictQLLanguageServer
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The CPU time of this thread, in seconds: what a request cost, whatever else the machine runs.
func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func languageServerScript(lines: Int) -> String {
    var text = "# A long script for the language server benchmark.\n"
    var index = 0
    while text.split(separator: "\n", omittingEmptySubsequences: false).count < lines {
        let n = index
        let pieces = [
            "let pledges\(n) = funding\n| where amount_usd > \(n * 1000)\n| extend millions = amount_usd / 1000000\n",
            "pledges\(n - 1)\n| summarize total = sum(amount_usd), n = count() by donor\n| sort by total desc\n| take 5\n",
            "# groups founded after \(1990 + n % 30)\ngroups\n| where founded > @\(1990 + n % 30) and designation has \"FTO\"\n"
                + "| select name, abbrev, founded\n",
            "timeline\n| extend year = to_year(date)\n| summarize events = count() by year\n| sort by year\n",
            "groups | where foundd > @2000 | count\n",
            "let r\(n) = relations | where kind == \"ally\"\nr\(n) | join kind=left groups on left.group == right.name | take 3\n",
        ]
        text += pieces[index % pieces.count] + "\n"
        index += 1
    }
    return text
}

func runLanguageServerBenchmark(lines: Int) {
    let text = languageServerScript(lines: lines)
    let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
    let uri = "file:///tmp/conflictql-lsp-benchmark.cq"
    let server = LanguageServer()
    func request(_ method: String, _ params: [String: Any]) -> [String: Any] {
        var params = params
        params["textDocument"] = ["uri": uri]
        return ["jsonrpc": "2.0", "id": 1, "method": method, "params": params]
    }
    var version = 0
    func change(_ newText: String) -> [String: Any] {
        version += 1
        return ["jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": ["textDocument": ["uri": uri, "version": version], "contentChanges": [["text": newText]]]]
    }
    _ = server.handle(["jsonrpc": "2.0", "method": "textDocument/didOpen",
                       "params": ["textDocument": ["uri": uri, "languageId": "conflictql", "version": 0, "text": text]]])
    let typed = text + "groups\n| where "
    let cases: [(String, () -> [String: Any])] = [
        ("didChange (check, diagnostics)", { change(text + "# edit \(version)\n") }),
        ("completion after '| where '", {
            _ = server.handle(change(typed))
            return request("textDocument/completion", ["position": ["line": lineCount + 1, "character": 8]])
        }),
        ("hover on a function", { request("textDocument/hover", ["position": ["line": 16, "character": 18]]) }),
        ("hover on a column", { request("textDocument/hover", ["position": ["line": 2, "character": 12]]) }),
        ("definition of a let", { request("textDocument/definition", ["position": ["line": 5, "character": 3]]) }),
        ("references of a let", { request("textDocument/references", ["position": ["line": 5, "character": 3]]) }),
        ("documentSymbol", { request("textDocument/documentSymbol", [:]) }),
        ("semanticTokens/full", { request("textDocument/semanticTokens/full", [:]) }),
        ("formatting", { _ = server.handle(change(text)); return request("textDocument/formatting", [:]) }),
    ]
    print("language server on a script of \(lineCount) lines (\(text.utf8.count) bytes), ms of the clock and of the thread's CPU:")
    print("  \("request".padding(32))  wall best  median   CPU best  median")
    for (name, make) in cases {
        var times: [Double] = [], cpuTimes: [Double] = []
        for _ in 0..<20 {
            let message = make()
            let (started, cpuStarted) = (now(), threadCPUTime())
            let replies = server.handle(message)
            cpuTimes.append((threadCPUTime() - cpuStarted) * 1000)
            times.append((now() - started) * 1000)
            // A request that found nothing would be timed doing nothing.
            if message["id"] != nil, replies.first?["result"] == nil || replies.first?["result"] is NSNull {
                fail("no answer to \(name)")
            }
        }
        times.sort()
        cpuTimes.sort()
        print("  \(name.padding(32)) \(format2(times[0]))  \(format2(times[times.count / 2]))   "
              + "\(format2(cpuTimes[0]))  \(format2(cpuTimes[cpuTimes.count / 2]))")
    }
}

func format2(_ milliseconds: Double) -> String {
    let hundredths = Int((milliseconds * 100).rounded())
    let text = "\(hundredths / 100).\(String(hundredths % 100).count == 1 ? "0" : "")\(hundredths % 100)"
    return String(repeating: " ", count: max(0, 8 - text.count)) + text
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
