// The parser: tokens to a `Script`. Recursive descent, one function per grammar rule of
// `Grammar/ConflictQL.ebnf`, each quoting its rule. After a syntax error it skips to the
// next statement and goes on, so one run reports every syntax error of a script. Nesting is
// capped (`Parser.maximumDepth`) so hostile input gets a message, not a stack overflow.

import ConflictQLCore

public struct ParseResult: Sendable {
    public var script: Script
    public var diagnostics: [Diagnostic]
    /// What the parser would have accepted where the input ends (Expectations.swift).
    public var expected = Expectations()

    /// False when the input stopped in the middle of a statement (an open bracket, an
    /// unterminated string, a trailing `|` or operator): the REPL then keeps reading.
    public var isIncomplete: Bool { diagnostics.contains { $0.isIncompleteInput } }
}

/// Lexes and parses a whole script.
public func parse(_ source: Source) -> ParseResult {
    if source.bytes.count > Source.maximumBytes {
        return ParseResult(script: Script(statements: []), diagnostics: [Diagnostic(
            .scriptTooLarge(limit: Source.maximumBytes), at: nil,
            help: "split it into several scripts")])
    }
    let lexed = lex(source)
    var parser = Parser(tokens: lexed.tokens, source: source)
    let script = parser.parseScript()
    // Lexer errors first, then parser errors, each in source order.
    let diagnostics = (lexed.diagnostics + parser.diagnostics).sorted {
        ($0.range?.start ?? 0) < ($1.range?.start ?? 0)
    }
    return ParseResult(script: script, diagnostics: diagnostics, expected: parser.expected)
}

/// Words that are operators inside expressions; a column with such a name needs backticks.
package let reservedWords: Set<String> = [
    "and", "or", "not", "in", "between", "is", "has", "contains", "startswith", "endswith", "matches", "by", "asc", "desc",
    "true", "false", "null",
]

/// The stage names, for messages and completion (`StageKind`, Stages.swift).
public let stageNames = StageKind.keywords

struct Parser {
    /// How deep brackets, unary operators and operator chains may nest.
    static let maximumDepth = 200

    let tokens: [Token]
    let source: Source
    var index = 0
    var diagnostics: [Diagnostic] = []
    var depth = 0
    /// Open brackets around the current token: inside them newlines are plain space.
    var bracketDepth = 0
    /// What was expected at the end of the input, and the state it is read against.
    var expected = Expectations()
    var openPipelines: [OpenPipeline] = []
    /// The index of the token that heads the pipeline being started.
    var pipelineHead = -1
    /// While a join's condition is parsed: its two sides.
    var joinSides: (left: SourceRange?, right: SourceRange)?
    /// The token index of an operand compared with a column (`COLUMN == `, `COLUMN in (`).
    var comparedColumn: (index: Int, column: String)?

    init(tokens: [Token], source: Source) {
        self.tokens = tokens
        self.source = source
    }

    // MARK: Token API

    var current: Token { tokens[index] }

    func at(_ kind: TokenKind) -> Bool { current.kind == kind }

    func atWord(_ word: String) -> Bool {
        current.kind == .identifier && current.text.lowercased() == word
    }

    func peekKind(_ ahead: Int) -> TokenKind {
        tokens[min(index + ahead, tokens.count - 1)].kind
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        if bracketDepth > 0 { skipNewlines() }
        return token
    }

    /// Consumes an opening bracket; newlines are insignificant until the matching close.
    mutating func open() -> Token {
        bracketDepth += 1
        return advance()
    }

    /// Consumes the closing bracket `kind` for `opener`, or throws `expected ')' to close ...`.
    mutating func close(_ kind: TokenKind, _ text: String, opener: Token) throws -> Token {
        guard at(kind) else { throw unclosed(text, open: opener) }
        bracketDepth -= 1
        return advance()
    }

    /// Whether `token` is the first thing on its line, at column 1: where statements start.
    func startsLine(_ token: Token) -> Bool {
        token.range.start == 0 || source.bytes[token.range.start - 1] == UInt8(ascii: "\n")
    }

    mutating func eat(_ kind: TokenKind) -> Token? {
        at(kind) ? advance() : nil
    }

    mutating func eatWord(_ word: String) -> Token? {
        note(.word(word))
        return atWord(word) ? advance() : nil
    }

    mutating func expect(_ kind: TokenKind, _ what: String) throws -> Token {
        if let token = eat(kind) { return token }
        throw unexpected(expected: what)
    }

    mutating func expectWord(_ word: String) throws -> Token {
        if let token = eatWord(word) { return token }
        throw unexpected(expected: "'\(word)'")
    }

    /// Skips newlines when the first token after them is `word`: a clause keyword such as
    /// `by` or `on` may start a continuation line.
    mutating func skipNewlines(before word: String) {
        var look = index
        while tokens[look].kind == .newline && look < tokens.count - 1 { look += 1 }
        if tokens[look].kind == .identifier && tokens[look].text.lowercased() == word { index = look }
    }

    /// Newlines are insignificant after a token that cannot end a statement.
    mutating func skipNewlines() {
        while at(.newline) { advance() }
    }

    func unexpected(expected what: String, help: String? = nil) -> Diagnostic {
        if case .invalid = current.kind {
            // The lexer has already reported this token.
            return Diagnostic(.reportedByLexer, at: current.range)
        }
        let atEnd = at(.endOfInput)
        return Diagnostic(.expected(what, found: current.display), at: current.range,
                          help: help, incompleteInput: atEnd)
    }

    /// `expected ')' to close '(' at 3:14`: the position is filled in when rendered.
    func unclosed(_ close: String, open: Token) -> Diagnostic {
        if case .invalid = current.kind { return Diagnostic(.reportedByLexer, at: current.range) }
        let (line, column) = source.location(of: open.range.start)
        return Diagnostic(.unclosed(close, open: open.display, line: line, column: column, found: current.display),
                          at: current.range, incompleteInput: at(.endOfInput))
    }

    mutating func enter(_ at: SourceRange) throws {
        depth += 1
        if depth > Parser.maximumDepth {
            throw Diagnostic(.nestingTooDeep(limit: Parser.maximumDepth), at: at,
                             help: "split it with 'let' bindings")
        }
    }

    mutating func leave() { depth -= 1 }

    // MARK: Statements

    /// script = { separator } [ statement { separator { separator } statement } ] EOF ;
    mutating func parseScript() -> Script {
        var statements: [Statement] = []
        var recovered = false
        while true {
            while at(.newline) || at(.semicolon) { advance() }
            if at(.endOfInput) {
                // A new statement may start after a separator, not where the last one ends.
                if !recovered && (index == 0 || tokens[index - 1].kind == .newline || tokens[index - 1].kind == .semicolon) {
                    note(.statement)
                }
                break
            }
            do {
                depth = 0
                let first = current
                statements.append(try parseStatement())
                if !(at(.newline) || at(.semicolon) || at(.endOfInput)) {
                    let afterNumber: Bool
                    switch tokens[index - 1].kind { case .integer, .decimal: afterNumber = at(.comma); default: afterNumber = false }
                    throw unexpected(expected: "end of statement",
                                     help: at(.assign) ? "use '==' to compare; '=' names a column"
                                         : Habits.afterStatement(statementStart: first.kind == .identifier ? first.text : nil,
                                                                 found: current.text, isCommaAfterNumber: afterNumber))
                }
            } catch let diagnostic as Diagnostic {
                if !diagnostic.message.isEmpty { diagnostics.append(diagnostic) }
                synchronize()
                recovered = true
            } catch {
                synchronize()
                recovered = true
            }
            bracketDepth = 0
        }
        return Script(statements: statements)
    }

    /// Skips to the start of the next statement: a separator outside the brackets open at
    /// the error, or a line that starts at column 1 (scripts indent continuation lines). A
    /// token at column 1 that an unclosed bracket ran into starts the next statement itself.
    mutating func synchronize() {
        var balance = bracketDepth
        bracketDepth = 0
        if balance > 0 && startsLine(current) && index > 0 { return }
        while !at(.endOfInput) {
            switch current.kind {
            case .leftParen, .leftBracket: balance += 1
            case .rightParen, .rightBracket: balance -= 1
            case .semicolon where balance <= 0: return
            case .newline:
                if balance <= 0 { return }
                if let next = tokens.dropFirst(index + 1).first, startsLine(next), next.kind != .pipe { return }
            default: break
            }
            advance()
        }
    }

    /// statement = binding | describe | explain | load | pipeline ;
    /// describe = "describe" table_name ;
    /// explain = "explain" [ "analyze" | "sql" [ NAME ] ] pipeline ;
    mutating func parseStatement() throws -> Statement {
        let start = current.range
        // `load`, `describe` or `explain` as the last word: what follows it is all that is
        // expected (the word alone parses on as a table's name, which is not what is typed).
        if peekKind(1) == .endOfInput {
            if atWord("load") { note(.filePath, ahead: 1) }
            if atWord("describe") { note(.table, ahead: 1) }
            if atWord("explain") {
                for expectation in [Expectation.source, .word("analyze"), .word("sql")] { note(expectation, ahead: 1) }
            }
            expected.isFinal = !expected.kinds.isEmpty
        }
        if atWord("let") {
            return try parseBinding()
        }
        if atWord("load"), case .string = peekKind(1) {
            return try parseLoad()
        }
        // `load ["a.csv", ...]`: a table named load indexed by a list is not a thing.
        if atWord("load"), peekKind(1) == .leftBracket {
            return try parseLoad()
        }
        if atWord("load"), peekKind(1) == .identifier || peekKind(1) == .quotedIdentifier {
            throw Diagnostic(.expectedQuotedFilePath, at: tokens[index + 1].range,
                                   help: "write: load \"events.csv\" as events")
        }
        if atWord("describe"), peekKind(1) == .identifier || peekKind(1) == .quotedIdentifier {
            advance()
            let name = try parseTableName("a table name")
            return Statement(kind: .describe(name), range: start.union(name.range))
        }
        // `explain` alone, or `explain | ...`, would be a table called explain.
        if atWord("explain"), peekKind(1) == .identifier || peekKind(1) == .quotedIdentifier || peekKind(1) == .leftParen {
            advance()
            func startsPipeline(_ k: Int) -> Bool { peekKind(k) == .identifier || peekKind(k) == .quotedIdentifier || peekKind(k) == .leftParen }
            if atWord("sql"), startsPipeline(1) {
                advance()
                // A dialect's name, when a pipeline follows it.
                var dialect: Identifier? = nil
                if current.kind == .identifier, startsPipeline(1) { dialect = try parseName("a dialect") }
                let pipeline = try parsePipeline()
                return Statement(kind: .explainSQL(pipeline, dialect: dialect), range: start.union(pipeline.range))
            }
            let analyze = atWord("analyze") && startsPipeline(1)
            if analyze { advance() }
            let pipeline = try parsePipeline()
            return Statement(kind: .explain(pipeline, analyze: analyze), range: start.union(pipeline.range))
        }
        let pipeline = try parsePipeline()
        return Statement(kind: .query(pipeline), range: pipeline.range)
    }

    /// binding = "let" NAME "=" pipeline ;
    mutating func parseBinding() throws -> Statement {
        let keyword = advance()
        let name = try parseName("a name after 'let'")
        if reservedWords.contains(name.name.lowercased()) {
            throw Diagnostic(.reservedWordBound(name.name), at: name.range)
        }
        _ = try expect(.assign, "'=' after 'let \(name.name)'")
        skipNewlines()
        let value = try parsePipeline()
        return Statement(kind: .binding(name: name, value: value), range: keyword.range.union(value.range))
    }

    /// load = "load" ( STRING | "[" STRING { "," STRING } "]" ) [ "as" NAME ]
    ///        [ "with" "(" load_option { "," load_option } ")" ] ;
    mutating func parseLoad() throws -> Statement {
        let keyword = advance()
        var paths: [String] = []
        var pathRange = current.range
        if at(.leftBracket) {
            let opener = open()
            repeat {
                skipNewlines()
                guard case .string(let path) = current.kind else { throw unexpected(expected: "a file path in quotes") }
                paths.append(path)
                advance()
            } while eat(.comma) != nil
            pathRange = opener.range.union(try close(.rightBracket, "]", opener: opener).range)
        } else {
            guard case .string(let path) = current.kind else {
                throw unexpected(expected: "a file path in quotes", help: "or a pattern such as \"data/*.csv\", or a list [\"a.csv\", \"b.csv\"]")
            }
            paths = [path]
            advance()
        }
        var end = pathRange
        var name: Identifier? = nil
        if eatWord("as") != nil {
            name = try parseName("a table name after 'as'")
            end = name!.range
        }
        var options: [LoadOptionSyntax] = []
        if atWord("with") { (options, end) = try parseLoadOptions() }
        return Statement(kind: .load(paths: paths, pathRange: pathRange, name: name, options: options),
                         range: keyword.range.union(end))
    }

    /// The options clause, `"with" "(" load_option { "," load_option } ")"`, also parsed alone
    /// for `.load` and `--load` (LoadCommand.swift); with the range of its `)`.
    mutating func parseLoadOptions() throws -> ([LoadOptionSyntax], SourceRange) {
        _ = try expectWord("with")
        guard at(.leftParen) else { throw unexpected(expected: "'(' after 'with'", help: "write: with (delimiter = \";\", lenient = true, COLUMN: Int)") }
        let opener = open()
        var options: [LoadOptionSyntax] = []
        repeat {
            options.append(try parseLoadOption())
        } while eat(.comma) != nil
        return (options, try close(.rightParen, ")", opener: opener).range)
    }

    /// load_option = NAME "=" primary | NAME ":" NAME ;
    mutating func parseLoadOption() throws -> LoadOptionSyntax {
        note(.loadOption)
        let name = try parseName("an option such as delimiter, header, lenient, format, or COLUMN: TYPE")
        if eat(.colon) != nil {
            note(.typeName)
            return LoadOptionSyntax(name: name, value: nil, typeName: try parseName("a type (Int, Float, String, Bool, Date)"))
        }
        guard eat(.assign) != nil else { throw unexpected(expected: "'=' or ':' after '\(name.name)'") }
        return LoadOptionSyntax(name: name, value: try parsePrimary(), typeName: nil)
    }

    /// table_name = NAME [ "." NAME ] ;
    /// A name with its schema (`acled.events`) names a table of a connected engine's schema.
    mutating func parseTableName(_ what: String) throws -> Identifier {
        let name = try parseName(what)
        guard at(.dot), peekKind(1) == .identifier || peekKind(1) == .quotedIdentifier else { return name }
        advance()
        let table = try parseName("a table name after '\(name.name).'")
        return Identifier(name: name.name + "." + table.name, range: name.range.union(table.range))
    }

    /// NAME = IDENT | QUOTED_IDENT ;
    mutating func parseName(_ what: String) throws -> Identifier {
        switch current.kind {
        case .identifier, .quotedIdentifier:
            let token = advance()
            return Identifier(name: token.text, range: token.range)
        default:
            throw unexpected(expected: what)
        }
    }

    // MARK: Pipelines and stages

    /// pipeline = expression { "|" stage } ;
    mutating func parsePipeline() throws -> Pipeline {
        openPipelines.append(OpenPipeline(start: current.range.start))
        defer { openPipelines.removeLast() }
        pipelineHead = index
        let head = try parseExpression()
        var stages: [Stage] = []
        while at(.pipe) {
            openPipelines[openPipelines.count - 1].lastPipe = advance().range.start
            skipNewlines()
            stages.append(try parseStage())
        }
        let end = stages.last?.range ?? head.range
        return Pipeline(head: head, stages: stages, range: head.range.union(end))
    }

    /// stage = where | select | extend | summarize | sort | take | top | distinct | count
    ///       | join | union | expand | window | fill | pivot | unpivot | chart ;
    /// take = "take" expression ;
    /// count = "count" ;
    /// expand = "expand" named_expression ;
    /// select = "select" named_list ;
    /// extend = "extend" named_list ;
    mutating func parseStage() throws -> Stage {
        note(.stage)
        guard current.kind == .identifier else {
            throw unexpected(expected: "a stage name (\(stageNames.joined(separator: ", ")))")
        }
        let keyword = advance()
        let word = Identifier(name: keyword.text.lowercased(), range: keyword.range)
        guard let stage = StageKind(keyword: word.name) else {
            let suggestion = StageKind(habit: word.name)?.keyword ?? closestName(to: word.name, in: stageNames)
            throw Diagnostic(.unknownStage(keyword.text), at: keyword.range,
                                   help: suggestion.map { "did you mean '\($0)'?" }
                                       ?? "stages are: \(stageNames.joined(separator: ", "))")
        }
        // A stage that needs more may continue on the next line (`| where` then the condition).
        if !stage.descriptor.isCompleteAlone { skipNewlines() }
        let kind: Stage.Kind
        switch stage {
        case .filter: kind = try parseWhere()
        case .select: kind = .select(try parseNamedList())
        case .extend: kind = .extend(try parseNamedList())
        case .summarize: kind = try parseSummarize()
        case .sort: kind = try parseSort()
        case .take: kind = .take(try parseExpression())
        case .top: kind = try parseTop()
        case .distinct: kind = try parseDistinct()
        case .count: kind = .count
        case .join: kind = try parseJoin()
        case .expand: kind = .expand(try parseNamedExpression())
        case .union: kind = try parseUnion()
        case .window: kind = try parseWindow()
        case .pivot: kind = try parsePivot()
        case .unpivot: kind = try parseUnpivot()
        case .fill: kind = try parseFill()
        case .chart: kind = try parseChart()
        }
        let end = tokens[max(0, index - 1)].range
        return Stage(kind: kind, keyword: word, range: keyword.range.union(end))
    }

    /// where = "where" expression ;
    mutating func parseWhere() throws -> Stage.Kind {
        .filter(try parseExpression())
    }

    /// named_list = named_expression { "," named_expression } ;
    mutating func parseNamedList() throws -> [NamedExpression] {
        var items = [try parseNamedExpression()]
        while eat(.comma) != nil {
            skipNewlines()
            items.append(try parseNamedExpression())
        }
        return items
    }

    /// named_expression = [ NAME "=" ] expression ;
    mutating func parseNamedExpression() throws -> NamedExpression {
        if current.kind == .identifier || current.kind == .quotedIdentifier, peekKind(1) == .assign {
            let name = try parseName("a column name")
            advance()
            skipNewlines()
            return NamedExpression(name: name, expression: try parseExpression())
        }
        return NamedExpression(name: nil, expression: try parseExpression())
    }

    /// summarize = "summarize" named_list [ "by" named_list ] | "summarize" "by" named_list ;
    mutating func parseSummarize() throws -> Stage.Kind {
        var aggregates: [NamedExpression] = []
        note(.word("by"))
        if !atWord("by") { aggregates = try parseNamedList() }
        skipNewlines(before: "by")
        var keys: [NamedExpression] = []
        if eatWord("by") != nil {
            skipNewlines()
            keys = try parseNamedList()
        }
        if aggregates.isEmpty && keys.isEmpty {
            throw unexpected(expected: "an aggregate such as count() or 'by'")
        }
        return .summarize(aggregates: aggregates, keys: keys)
    }

    /// sort = "sort" "by" sort_key { "," sort_key } ;
    mutating func parseSort() throws -> Stage.Kind {
        if eatWord("by") == nil {
            throw unexpected(expected: "'by' after 'sort'", help: "write: sort by COLUMN [asc|desc]")
        }
        skipNewlines()
        return .sort(try parseSortKeys())
    }

    /// sort_key = expression [ "asc" | "desc" ] ;
    mutating func parseSortKeys() throws -> [SortKey] {
        var keys: [SortKey] = []
        repeat {
            skipNewlines()
            let expression = try parseExpression()
            var descending: Bool? = nil
            if eatWord("desc") != nil { descending = true } else if eatWord("asc") != nil { descending = false }
            keys.append(SortKey(expression: expression, descending: descending))
        } while eat(.comma) != nil
        return keys
    }

    /// top = "top" expression "by" sort_key { "," sort_key } ;
    mutating func parseTop() throws -> Stage.Kind {
        let count = try parseExpression()
        if eatWord("by") == nil {
            throw unexpected(expected: "'by' after 'top \(count.range.end - count.range.start > 0 ? "N" : "")'",
                             help: "write: top 10 by COLUMN [asc|desc]")
        }
        return .top(count: count, keys: try parseSortKeys())
    }

    /// distinct = "distinct" [ expression { "," expression } ] ;
    mutating func parseDistinct() throws -> Stage.Kind {
        var columns: [Expression] = []
        note(.operand)
        if at(.identifier) || at(.quotedIdentifier) {
            columns.append(try parseExpression())
            while eat(.comma) != nil {
                skipNewlines()
                columns.append(try parseExpression())
            }
        }
        return .distinct(columns)
    }

    /// join = "join" [ "kind" "=" ( "inner" | "left" ) ] join_source "on" join_condition ;
    /// join_source = "(" pipeline ")" | table_name ;
    mutating func parseJoin() throws -> Stage.Kind {
        var kind = JoinKind.inner
        note(.word("kind="))
        if atWord("kind"), peekKind(1) == .assign {
            advance(); advance()
            note(.joinKind)
            let word = try parseName("'inner', 'left', 'semi' or 'anti'")
            guard let parsed = JoinKind(rawValue: word.name.lowercased()) else {
                throw Diagnostic(.unknownJoinKind(word.name), at: word.range,
                                       help: "join kinds are 'inner', 'left', 'semi' (left rows with a match) and 'anti' (left rows without)")
            }
            kind = parsed
        }
        let right: Pipeline
        if at(.leftParen) {
            let opener = open()
            try enter(opener.range)
            right = try parsePipeline()
            _ = try close(.rightParen, ")", opener: opener)
            leave()
        } else {
            note(.table)
            let name = try parseTableName("a table or '(' pipeline ')' after 'join'")
            let head = Expression(kind: .name(name.name), range: name.range)
            right = Pipeline(head: head, stages: [], range: name.range)
        }
        skipNewlines(before: "on")
        _ = try expectWord("on")
        let outer = joinSides
        defer { joinSides = outer }
        let input = openPipelines.last.flatMap { open in open.lastPipe.map { SourceRange(start: open.start, end: $0) } }
        joinSides = (input, right.range)
        return .join(kind: kind, right: right, on: try parseJoinCondition())
    }

    /// window = "window" [ "by" named_list ] [ "sort" "by" sort_key { "," sort_key } ] named_list ;
    mutating func parseWindow() throws -> Stage.Kind {
        var keys: [NamedExpression] = []
        if eatWord("by") != nil {
            skipNewlines()
            keys = try parseNamedList()
            skipNewlines(before: "sort")
        }
        var order: [SortKey] = []
        note(.word("sort"))
        if atWord("sort"), case .identifier = peekKind(1), tokens[index + 1].text.lowercased() == "by" {
            advance(); advance()
            order = try parseSortKeys()
        }
        skipNewlines()
        guard (current.kind == .identifier || current.kind == .quotedIdentifier), peekKind(1) == .assign else {
            throw unexpected(expected: "NAME = EXPRESSION: the column the window computes",
                             help: "for example: window by country sort by month total = running_sum(deaths)")
        }
        return .window(keys: keys, order: order, columns: try parseNamedList())
    }

    /// pivot = "pivot" additive "in" "(" expression { "," expression } ")" expression [ "by" named_list ] ;
    mutating func parsePivot() throws -> Stage.Kind {
        let key = try parseAdditive()
        guard eatWord("in") != nil else {
            throw unexpected(expected: "'in (...)' after the pivot's column", help: "for example: pivot year in (2019, 2020) sum(fatalities) by country")
        }
        guard at(.leftParen) else { throw unexpected(expected: "'(' after 'in'") }
        let opener = open()
        var values: [Expression] = []
        repeat { skipNewlines(); values.append(try parseExpression()) } while eat(.comma) != nil
        _ = try close(.rightParen, ")", opener: opener)
        skipNewlines()
        let aggregate = try parseExpression()
        var keys: [NamedExpression] = []
        skipNewlines(before: "by")
        if eatWord("by") != nil {
            skipNewlines()
            keys = try parseNamedList()
        }
        return .pivot(key: key, values: values, aggregate: aggregate, keys: keys)
    }

    /// fill = "fill" NAME [ "by" NAME { "," NAME } ] "step" expression [ "from" expression ]
    ///        [ "to" expression ] [ "with" NAME "=" expression { "," NAME "=" expression } ] ;
    mutating func parseFill() throws -> Stage.Kind {
        let example = "for example: fill month step 1 month with events = 0"
        note(.column)
        guard at(.identifier) || at(.quotedIdentifier) else {
            throw unexpected(expected: "the column to fill", help: example)
        }
        let column = try parseName("the column to fill")
        var keys: [Identifier] = []
        skipNewlines(before: "by")
        if eatWord("by") != nil {
            skipNewlines()
            repeat {
                skipNewlines()
                note(.column)
                keys.append(try parseName("a column that names a group"))
            } while eat(.comma) != nil
        }
        skipNewlines(before: "step")
        guard eatWord("step") != nil else {
            throw unexpected(expected: "'step' and the distance between two rows", help: example)
        }
        let step = try parseExpression()
        var from: Expression? = nil, to: Expression? = nil
        skipNewlines(before: "from")
        if eatWord("from") != nil { from = try parseExpression() }
        skipNewlines(before: "to")
        if eatWord("to") != nil { to = try parseExpression() }
        var values: [NamedExpression] = []
        skipNewlines(before: "with")
        if eatWord("with") != nil {
            skipNewlines()
            repeat {
                skipNewlines()
                note(.column)
                guard current.kind == .identifier || current.kind == .quotedIdentifier, peekKind(1) == .assign else {
                    throw unexpected(expected: "NAME = VALUE: a column and its value in the added rows", help: example)
                }
                values.append(try parseNamedExpression())
            } while eat(.comma) != nil
        }
        return .fill(FillSyntax(column: column, keys: keys, step: step, from: from, to: to, values: values))
    }

    /// chart = "chart" [ NAME ] { chart_option } ;
    /// chart_option = ( "title" | "xtitle" | "ytitle" | "xlabel" | "ylabel" ) STRING
    ///              | ( "width" | "height" ) INTEGER | "labels" ;
    mutating func parseChart() throws -> Stage.Kind {
        var chart = ChartSyntax()
        note(.chartKind)
        let words = ChartOption.words.map(\.name)
        // `chart title "..."` names no kind: an option's word followed by its value is an option.
        if at(.identifier), !(words.contains(current.text.lowercased()) && (isString(peekKind(1)) || isInteger(peekKind(1))
                                                                          || current.text.lowercased() == "labels")) {
            chart.kind = try parseName("a kind of chart")
        }
        // Completion offers the options by their first names (xlabel and ylabel are aliases).
        for word in words where word != "xlabel" && word != "ylabel" { note(.word(word)) }
        while at(.identifier) {
            let word = current
            let name = word.text.lowercased()
            guard let option = ChartOption.words.first(where: { $0.name == name }) else {
                throw Diagnostic(.unknownChartOption(word.text), at: word.range,
                                       help: closestName(to: name, in: words).map { "did you mean '\($0)'?" }
                                           ?? "options are \(words.joined(separator: ", "))")
            }
            advance()
            var value: Value? = nil
            var valueRange: SourceRange? = nil
            switch (option.takes, current.kind) {
            case ("nothing", _): break
            case ("a text", .string(let text)): value = .string(text)
            case ("a number of pixels", .integer(let n)): value = .int(n)
            default:
                if name == "title" {
                    throw unexpected(expected: "the title in quotes after 'title'",
                                     help: "for example: chart bar title \"Events by actor\"")
                }
                throw unexpected(expected: "\(option.takes == "a text" ? "a text in quotes" : option.takes) after '\(name)'",
                                 help: "for example: chart line title \"Deaths a day\" width 1200 ytitle \"deaths\"")
            }
            if value != nil { valueRange = current.range; advance() }
            if name == "title", case .string(let text)? = value { chart.title = text }
            for word in words where word != "xlabel" && word != "ylabel" { note(.word(word)) }
            chart.options.append(ChartOption(name: Identifier(name: word.text, range: word.range), value: value, valueRange: valueRange))
        }
        return .chart(chart)
    }

    func isInteger(_ kind: TokenKind) -> Bool {
        if case .integer = kind { return true }
        return false
    }

    func isString(_ kind: TokenKind) -> Bool {
        if case .string = kind { return true }
        return false
    }

    /// unpivot = "unpivot" NAME { "," NAME } "into" NAME "," NAME ;
    mutating func parseUnpivot() throws -> Stage.Kind {
        var columns: [Identifier] = []
        repeat {
            skipNewlines()
            note(.column)
            columns.append(try parseName("a column to turn into rows"))
        } while eat(.comma) != nil
        skipNewlines(before: "into")
        guard eatWord("into") != nil else {
            throw unexpected(expected: "'into NAME, VALUE': the columns the names and the values go to",
                             help: "for example: unpivot `2019`, `2020` into year, fatalities")
        }
        let name = try parseName("the column for the names")
        guard eat(.comma) != nil else { throw unexpected(expected: "',' and the column for the values") }
        let value = try parseName("the column for the values")
        return .unpivot(columns: columns, name: name, value: value)
    }

    /// union = "union" [ "source" "=" NAME ] union_input { "," union_input } ;
    /// union_input = "(" pipeline ")" | table_name ;
    mutating func parseUnion() throws -> Stage.Kind {
        var sourceColumn: Identifier? = nil
        note(.word("source ="))
        if atWord("source"), peekKind(1) == .assign {
            advance(); advance()
            sourceColumn = try parseName("a column name after 'source ='")
            skipNewlines()
        }
        var inputs: [Pipeline] = []
        repeat {
            skipNewlines()
            if at(.leftParen) {
                let opener = open()
                try enter(opener.range)
                inputs.append(try parsePipeline())
                _ = try close(.rightParen, ")", opener: opener)
                leave()
            } else {
                note(.table)
                let name = try parseTableName("a table or '(' pipeline ')' after 'union'")
                inputs.append(Pipeline(head: Expression(kind: .name(name.name), range: name.range), stages: [], range: name.range))
            }
        } while eat(.comma) != nil
        return .union(inputs: inputs, sourceColumn: sourceColumn)
    }

    /// join_condition = NAME { "," NAME } | side_column "==" side_column { "and" side_column "==" side_column } ;
    mutating func parseJoinCondition() throws -> JoinCondition {
        // `on a, b`: names alone, each followed by ',' or the end of the stage.
        if current.kind == .identifier || current.kind == .quotedIdentifier, endsJoinName(peekKind(1)),
           !(atWord("left") || atWord("right") || atWord("this")) || peekKind(1) != .dot {
            var names = [try parseName("a column name after 'on'")]
            while eat(.comma) != nil { names.append(try parseName("a column name")) }
            return .columns(names)
        }
        let condition = try parseExpression()
        if let pairs = equalityPairs(condition) { return .pairs(pairs) }
        return .expression(condition)
    }

    /// Whether `kind`, after a name, ends it as one of `on a, b`.
    func endsJoinName(_ kind: TokenKind) -> Bool {
        switch kind {
        case .comma, .pipe, .newline, .semicolon, .rightParen, .endOfInput: return true
        default: return false
        }
    }

    /// `left.a == right.b and ...` as pairs (left first), or nil when the condition is
    /// anything else: it is then checked as an expression.
    func equalityPairs(_ condition: Expression) -> [(left: Identifier, right: Identifier)]? {
        switch condition.kind {
        case .binary(.and, let a, let b, _):
            guard let first = equalityPairs(a), let rest = equalityPairs(b) else { return nil }
            return first + rest
        case .binary(.equal, let a, let b, _):
            guard case .qualified(let sideA, let nameA) = a.kind, case .qualified(let sideB, let nameB) = b.kind,
                  Set([sideA, sideB]) == ["left", "right"] else { return nil }
            return sideA == "left" ? [(nameA, nameB)] : [(nameB, nameA)]
        default:
            return nil
        }
    }
}
