// Embedding.md's HTTP example: a tiny Hummingbird 2 server whose `POST /query` runs the body
// (ConflictQL statements) in one `AsyncSession` and answers with JSON: `{"results": [...]}`,
// each result as `--format json` writes it, or `{"error": ...}` with status 400 and the
// diagnostics as the shell renders them. A client that goes away cancels its query.
//
//     swift run conflictql-http-example --port 8080
//     curl -d 'groups | where founded >= @2011 | select name, founded' http://127.0.0.1:8080/query
//
// `--port 0` picks a free port; the first line on standard output names it (the test reads it).

import ConflictQL
import Hummingbird

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The session every request shares: the actor runs their statements one after another.
let session = AsyncSession(allowsFileAccess: false)

func json(_ results: [StatementResult]) -> String {
    let formatter = ResultFormatter(format: .json)
    let parts = results.compactMap { result -> String? in
        switch result {
        case .table, .value: return formatter.format(result).trimmingSuffix("\n")
        case .chart(let chart): return formatter.format(.table(chart.table)).trimmingSuffix("\n")
        case .bound, .loaded: return nil
        }
    }
    return "{\"results\": [" + parts.joined(separator: ", ") + "]}\n"
}

func response(_ text: String, status: HTTPResponse.Status) -> Response {
    Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
}

let router = Router()
router.post("query") { request, _ -> Response in
    var request = request
    let body = try await request.collectBody(upTo: 1 << 20)
    let text = String(buffer: body)
    do {
        return response(json(try await session.run(text, name: "query")), status: .ok)
    } catch let error as DiagnosticError {
        let rendered = DiagnosticRenderer().render(error.diagnostics, in: error.source)
        return response("{\"error\": \(jsonQuoted(error.diagnostics.first?.message ?? "error")), \"rendered\": \(jsonQuoted(rendered))}\n",
                        status: .badRequest)
    }
}

var port = 8080
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--port", let value = arguments.popFirst().flatMap({ Int($0) }), (0...65535).contains(value) {
        port = value
    } else {
        print("usage: conflictql-http-example [--port N]")
        exit(2)
    }
}
let chosenPort = port
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: chosenPort)),
                      onServerRunning: { channel in
                          print("listening on 127.0.0.1:\(channel.localAddress?.port ?? chosenPort)")
                          fflush(nil)
                      })
try await app.runService()

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
