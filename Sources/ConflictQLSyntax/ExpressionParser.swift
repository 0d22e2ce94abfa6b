// Parsing expressions, lowest precedence first: one function per grammar rule, each quoting
// its rule from Grammar/ConflictQL.ebnf. Part of the parser (Parser.swift holds the token API,
// statements and stages).

import ConflictQLCore

extension Parser {
    // MARK: Expressions, lowest precedence first

    /// expression = or_expression ;
    mutating func parseExpression() throws -> Expression {
        try enter(current.range)
        defer { leave() }
        return try parseOr()
    }

    /// or_expression = and_expression { "or" and_expression } ;
    mutating func parseOr() throws -> Expression {
        try parseChain({ $0.eatWord("or").map { (.or, $0) } }, { try $0.parseAnd() })
    }

    /// and_expression = not_expression { "and" not_expression } ;
    mutating func parseAnd() throws -> Expression {
        try parseChain({ $0.eatWord("and").map { (.and, $0) } }, { try $0.parseNot() })
    }

    /// `operand { OPERATOR operand }`, left-associative. Each operator deepens the tree, so a
    /// long chain counts against the nesting limit like brackets do.
    mutating func parseChain(_ nextOperator: (inout Parser) -> (BinaryOperator, Token)?,
                             _ operand: (inout Parser) throws -> Expression) throws -> Expression {
        var left = try operand(&self)
        var chain = 0
        while true {
            note(.continuation(afterQuantity: isQuantity(left)))
            guard let (op, token) = nextOperator(&self) else { break }
            chain += 1
            try enter(token.range)
            skipNewlines()
            let right = try operand(&self)
            left = Expression(kind: .binary(op, left, right, operatorRange: token.range), range: left.range.union(right.range))
        }
        depth -= chain
        return left
    }

    /// not_expression = "not" not_expression | predicate ;
    mutating func parseNot() throws -> Expression {
        if let op = eatWord("not") {
            try enter(op.range)
            defer { leave() }
            skipNewlines()
            let operand = try parseNot()
            return Expression(kind: .unary(.not, operand), range: op.range.union(operand.range))
        }
        return try parsePredicate()
    }

    /// predicate = additive [ compare_op additive
    ///           | "is" [ "not" ] "null"
    ///           | [ "not" ] "in" "(" [ expression { "," expression } ] ")"
    ///           | [ "not" ] "between" additive "and" additive
    ///           | [ "not" ] ( "has" | "contains" | "startswith" | "endswith" | "matches" ) additive ] ;
    /// compare_op = "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "!~" ;
    mutating func parsePredicate() throws -> Expression {
        let left = try parseAdditive()
        let comparisons: [TokenKind: BinaryOperator] = [
            .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
            .greater: .greater, .greaterEqual: .greaterEqual,
            .equalIgnoringCase: .equalIgnoringCase, .notEqualIgnoringCase: .notEqualIgnoringCase,
        ]
        if let op = comparisons[current.kind] {
            let token = advance()
            skipNewlines()
            if op == .equal || op == .notEqual, case .name(let column) = left.kind { comparedColumn = (index, column) }
            let right = try parseAdditive()
            return Expression(kind: .binary(op, left, right, operatorRange: token.range), range: left.range.union(right.range))
        }
        if at(.assign) {
            throw Diagnostic(.assignmentIsNotComparison, at: current.range,
                             help: "use '==' to compare")
        }
        if let isToken = eatWord("is") {
            let negated = eatWord("not") != nil
            if eatWord("null") == nil {
                throw unexpected(expected: "'null' after '\(negated ? "is not" : "is")'")
            }
            let end = tokens[index - 1].range
            return Expression(kind: .isNull(left, negated: negated), range: left.range.union(isToken.range).union(end))
        }
        var negated = false
        if atWord("not"), case .identifier = peekKind(1),
           ["in", "between", "has", "contains", "startswith", "endswith", "matches"].contains(tokens[index + 1].text.lowercased()) {
            advance()
            negated = true
        }
        if eatWord("in") != nil {
            guard at(.leftParen) else { throw unexpected(expected: "'(' after 'in'") }
            let opener = open()
            var items: [Expression] = []
            if !at(.rightParen) {
                repeat {
                    if case .name(let column) = left.kind { comparedColumn = (index, column) }
                    items.append(try parseExpression())
                } while eat(.comma) != nil
            }
            let close = try close(.rightParen, ")", opener: opener)
            return Expression(kind: .inList(left, items, negated: negated), range: left.range.union(close.range))
        }
        if eatWord("between") != nil {
            let low = try parseAdditive()
            if eatWord("and") == nil { throw unexpected(expected: "'and' in 'between ... and ...'") }
            let high = try parseAdditive()
            return Expression(kind: .between(left, low, high, negated: negated), range: left.range.union(high.range))
        }
        for (word, op) in [("has", BinaryOperator.has), ("contains", .contains), ("startswith", .startswith),
                           ("endswith", .endswith), ("matches", .matches)] {
            if let token = eatWord(word) {
                skipNewlines()
                let right = try parseAdditive()
                let expression = Expression(kind: .binary(op, left, right, operatorRange: token.range),
                                            range: left.range.union(right.range))
                return negated ? Expression(kind: .unary(.not, expression), range: expression.range) : expression
            }
        }
        return left
    }

    /// additive = multiplicative { ( "+" | "-" ) multiplicative } ;
    mutating func parseAdditive() throws -> Expression {
        try parseChain({ parser in
            switch parser.current.kind {
            case .plus: return (.add, parser.advance())
            case .minus: return (.subtract, parser.advance())
            default: return nil
            }
        }, { try $0.parseMultiplicative() })
    }

    /// multiplicative = unary { ( "*" | "/" | "%" ) unary } ;
    mutating func parseMultiplicative() throws -> Expression {
        try parseChain({ parser in
            switch parser.current.kind {
            case .star: return (.multiply, parser.advance())
            case .slash: return (.divide, parser.advance())
            case .percent: return (.modulo, parser.advance())
            default: return nil
            }
        }, { try $0.parseUnary() })
    }

    /// unary = "-" unary | primary ;
    mutating func parseUnary() throws -> Expression {
        if at(.minus), case .integer = peekKind(1), !tokens[index + 1].text.isEmpty,
           tokens[index].range.end == tokens[index + 1].range.start {
            // `-9223372036854775808`, the one literal whose magnitude does not fit in Int64.
            let op = advance()
            let literal = advance()
            return Expression(kind: .literal(.int(.min)), range: op.range.union(literal.range))
        }
        if let op = eat(.minus) {
            try enter(op.range)
            defer { leave() }
            let operand = try parseUnary()
            // Fold `-9223372036854775808` and other negative literals.
            if case .literal(.int(let v)) = operand.kind, op.range.end == operand.range.start {
                return Expression(kind: .literal(.int(0 &- v)), range: op.range.union(operand.range))
            }
            if case .literal(.float(let v)) = operand.kind {
                return Expression(kind: .literal(.float(-v)), range: op.range.union(operand.range))
            }
            return Expression(kind: .unary(.negate, operand), range: op.range.union(operand.range))
        }
        return try parsePrimary()
    }

    /// primary = INTEGER | DECIMAL | STRING | DATE | "true" | "false" | "null"
    ///         | NAME [ call ] | table_name | PARAMETER | ( "this" | "left" | "right" ) "." NAME
    ///         | "(" pipeline ")" | "[" [ expression { "," expression } ] "]" ;
    mutating func parsePrimary() throws -> Expression {
        let token = current
        if index == pipelineHead {
            note(.source)
        } else {
            note(.operand)
            if let compared = comparedColumn, compared.index == index { note(.value(of: compared.column)) }
        }
        switch token.kind {
        case .integer(let v):
            if !token.text.isEmpty {
                throw Diagnostic(.integerOutOfRange(token.text), at: token.range,
                                 help: "the largest Int is 9223372036854775807; write a decimal (with '.0') for larger numbers")
            }
            advance()
            note(.durationUnit)
            /// duration_unit = "day" | "days" | "week" | "weeks" | "month" | "months" | "year" | "years" ;
            // `30 days`: a duration, for date arithmetic and `bin`.
            if current.kind == .identifier, let unit = DurationUnit(word: current.text) {
                let word = advance()
                return Expression(kind: .duration(v, unit), range: token.range.union(word.range))
            }
            return Expression(kind: .literal(.int(v)), range: token.range)
        case .decimal(let v):
            advance()
            return Expression(kind: .literal(.float(v)), range: token.range)
        case .string(let s):
            advance()
            return Expression(kind: .literal(.string(s)), range: token.range)
        case .date(let d):
            advance()
            return Expression(kind: .literal(.date(d)), range: token.range)
        case .parameter:
            advance()
            return Expression(kind: .parameter(token.text), range: token.range)
        case .leftParen:
            _ = open()
            try enter(token.range)
            defer { leave() }
            let inner = try parsePipeline()
            let close = try close(.rightParen, ")", opener: token)
            if inner.stages.isEmpty {
                return Expression(kind: inner.head.kind, range: token.range.union(close.range))
            }
            return Expression(kind: .subquery(inner), range: token.range.union(close.range))
        case .leftBracket:
            _ = open()
            try enter(token.range)
            defer { leave() }
            var items: [Expression] = []
            if !at(.rightBracket) {
                repeat { items.append(try parseExpression()) } while eat(.comma) != nil
            }
            let close = try close(.rightBracket, "]", opener: token)
            return Expression(kind: .list(items), range: token.range.union(close.range))
        case .quotedIdentifier:
            advance()
            return Expression(kind: .name(token.text), range: token.range)
        case .identifier:
            let word = token.text.lowercased()
            switch word {
            case "true", "false":
                advance()
                return Expression(kind: .literal(.bool(word == "true")), range: token.range)
            case "null":
                advance()
                return Expression(kind: .literal(.null), range: token.range)
            default:
                break
            }
            if reservedWords.contains(word) || word == "let" {
                throw unexpected(expected: "an expression")
            }
            advance()
            if at(.dot), word == "left" || word == "right" || word == "this" {
                advance()
                let name = try parseName("a column name after '\(word).'")
                return Expression(kind: .qualified(side: word, name: name), range: token.range.union(name.range))
            }
            if at(.leftParen) {
                return try parseCall(Identifier(name: token.text, range: token.range))
            }
            // `acled.events`: a table of a connected engine's schema (table_name).
            if at(.dot), peekKind(1) == .identifier || peekKind(1) == .quotedIdentifier {
                advance()
                let table = try parseName("a table name after '\(token.text).'")
                return Expression(kind: .name(token.text + "." + table.name), range: token.range.union(table.range))
            }
            return Expression(kind: .name(token.text), range: token.range)
        default:
            throw unexpected(expected: "an expression")
        }
    }

    /// call = NAME "(" [ [ "distinct" ] expression { "," expression } [ "where" expression ]
    ///        | "where" expression | "*" ] ")" ;
    mutating func parseCall(_ name: Identifier) throws -> Expression {
        let opener = open()
        try enter(opener.range)
        defer { leave() }
        var arguments: [Expression] = []
        var distinct = false
        var filter: Expression? = nil
        if eat(.star) != nil, name.name.lowercased() == "count" {
            // `count(*)` as in SQL means `count()`.
        } else if !at(.rightParen) {
            if !atWord("where") {
                if atWord("distinct") { advance(); distinct = true }
                repeat {
                    arguments.append(try parseExpression())
                } while eat(.comma) != nil
            }
            // An aggregate's filter: only the rows where it holds are aggregated.
            if atWord("where") {
                advance()
                filter = try parseExpression()
            }
        }
        let close = try close(.rightParen, ")", opener: opener)
        return Expression(kind: .call(name: name, arguments: arguments, distinct: distinct, filter: filter),
                          range: name.range.union(close.range))
    }
}
