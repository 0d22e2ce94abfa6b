// Actor names resolved to the briefing's groups, by the rules of Data/Actors.swift and
// Data/Relations.swift: exact whole names, never a substring. Each is computed once per
// distinct name of the dictionary (a million events name a few hundred actors); with a
// country or a date per row, once per distinct tuple. `groups_of` over several actor
// columns has a faster path in the engine that makes no list per row.

import ConflictQLCore
import ConflictQLSyntax
import ConflictQLData

extension ScalarFunction {
    static let actors: [ScalarFunction] = [group_of, groups_of, groups_on, is_joint]

    public static let group_of = ScalarFunction(
        "group_of", family: .actors, signature: "group_of(ACTOR[, COUNTRY]) -> String",
        meaning: "the briefing group an event's actor name codes, by the exact names of the actors table (a name coded only in some countries, as UCDP's IS, needs the event's country); null for other names and for joint attributions (A and/or B)",
        example: "group_of(\"JNIM: Group for Support of Islam and Muslims\")",
        arity: 1...2, usage: "group_of(ACTOR[, COUNTRY])",
        forms: [CallForm([.of(.string)], .string)],
        check: { call in
            try call.expect(0, .string, "an actor name (text)")
            if call.count == 2 { try call.expect(1, .string, "a country name (text)") }
            return .string
        },
        evaluation: .columns { call in
            try resolveActors(call) { names, country, _ in
                guard case .string(let name) = names else { return .null }
                return Actors.group(of: name, country: country).map(Value.string) ?? .null
            }
        },
        sql: { call throws(SQLError) in
            // The alias table as a CASE: exact names; a country-scoped alias only with a country.
            let name = try call.argument(0, as: .string)
            let country = call.count > 1 ? try call.argument(1, as: .string) : nil
            var whens: [String] = []
            for alias in Actors.aliases {
                var test = "\(name) = \(call.dialect.string(alias.alias))"
                if let scope = alias.countries {
                    guard let country else { continue }
                    test += " AND \(country) IN (\(scope.map(call.dialect.string).joined(separator: ", ")))"
                }
                whens.append("WHEN \(test) THEN \(call.dialect.string(alias.name))")
            }
            return "(CASE \(whens.joined(separator: " ")) END)"
        })

    public static let groups_of = ScalarFunction(
        "groups_of", family: .actors, signature: "groups_of(ACTOR or [ACTOR, ...][, COUNTRY]) -> List<String>",
        meaning: "every briefing group the names code, each once, in order: a whole known name, else each part of a list (A; B, or A, B) and of a joint attribution (A and/or B); expand it to count an event once for each group",
        example: "groups_of([\"Ansar Dine\", \"AQIM: Al Qaeda in the Islamic Maghreb; Civilians (France)\"])",
        arity: 1...2, usage: "groups_of(ACTOR[, COUNTRY])",
        forms: [CallForm([.of(.string)], .list(.string)), CallForm([.of(.list(.string))], .list(.string))],
        check: { call in
            try expectActorNames(call, example: "groups_of([actor1, actor2, assoc_actor_1, assoc_actor_2])")
            if call.count == 2 { try call.expect(1, .string, "a country name (text)") }
            return .list(.string)
        },
        evaluation: .columns { call in
            try resolveActors(call) { names, country, _ in .list(Actors.groups(of: actorNames(names), country: country).map(Value.string)) }
        },
        sql: { call throws(SQLError) in throw call.refuse("groups_of() (it splits joint attributions and lists of actors)") })

    public static let groups_on = ScalarFunction(
        "groups_on", family: .actors, signature: "groups_on(ACTOR or [ACTOR, ...], DATE[, COUNTRY]) -> List<String>",
        meaning: "what groups_of gives, with the groups those were units of or had merged into on the date (the relations table): Katiba Macina's events from March 2017 are JNIM's too, Ansar Dine's of 2015 are not",
        example: "groups_on([\"Katiba Macina\", \"Ansar Dine\"], @2018-01-10)",
        arity: 2...3, usage: "groups_on(ACTOR or [ACTOR, ...], DATE[, COUNTRY])",
        forms: [CallForm([.of(.string), .of(.date)], .list(.string))],
        check: { call in
            try expectActorNames(call, example: "groups_on([actor1, actor2, assoc_actor_1, assoc_actor_2], event_date)")
            try call.expect(1, .date, "the event's date")
            if call.count == 3 { try call.expect(2, .string, "a country name (text)") }
            return .list(.string)
        },
        evaluation: .columns { call in
            try resolveActors(call, countryAt: 2, dateAt: 1) { names, country, date in
                .list(Relations.groups(of: actorNames(names), on: date, country: country).map(Value.string))
            }
        },
        sql: { call throws(SQLError) in throw call.refuse("groups_on() (it splits joint attributions and lists of actors)") })

    public static let is_joint = ScalarFunction(
        "is_joint", family: .actors, signature: "is_joint(ACTOR) -> Bool",
        meaning: "whether the name is one of ACLED's joint attributions, A and/or B (the event is by one of them, not known which)",
        example: "is_joint(\"JNIM: Group for Support of Islam and Muslims and/or Islamic State (West Africa) - Greater Sahara Faction\")",
        arity: 1...1, usage: "is_joint(ACTOR)",
        forms: [CallForm([.of(.string)], .bool)],
        check: { call in try call.expect(0, .string, "an actor name (text)"); return .bool },
        evaluation: .columns { call in
            try resolveActors(call) { names, _, _ in
                guard case .string(let name) = names else { return .null }
                return .bool(Actors.isJoint(name))
            }
        },
        sql: { call throws(SQLError) in throw call.refuse("is_joint() (it splits joint attributions and lists of actors)") })

    // MARK: Shared

    static func expectActorNames(_ call: FunctionCheck, example: String) throws {
        let names = call.types[0]
        if names != .null && names != .string && names != .list(.string) {
            throw call.error(.actorFunctionNeeds(call.function.name, names), at: 0, help: "for example: \(example)")
        }
    }

    static func actorNames(_ names: Value) -> [String] {
        switch names {
        case .string(let name): return [name]
        case .list(let items): return items.compactMap { if case .string(let s) = $0 { return s }; return nil }
        default: return []
        }
    }

    /// `resolve(names, country, date)` once per distinct name (one string column), else once
    /// per distinct tuple of the arguments' values; null where the names are null.
    static func resolveActors(_ call: KernelCall, countryAt countryIndex: Int = 1, dateAt dateIndex: Int? = nil,
                              _ resolve: (Value, String?, DateValue?) -> Value) throws -> Column {
        let columns = call.columns, count = call.rowCount
        if columns.count == 1, case .string(let codes, let dictionary) = columns[0].storage {
            var perEntry = ColumnBuilder(type: call.resultType, capacity: dictionary.count)
            for index in 0..<dictionary.count {
                try call.poll(index)
                perEntry.append(resolve(.string(dictionary[index]), nil, nil))
            }
            let spread = perEntry.finish().gather(codes.words)
            return Column(type: spread.type, storage: spread.storage, validity: Bitmap.and(spread.validity, columns[0].validity), count: count)
        }
        var builder = ColumnBuilder(type: call.resultType, capacity: count)
        var seen: [[Value]: Value] = [:]
        for row in 0..<count {
            try call.poll(row)
            let values = columns.map { $0.value(at: row) }
            if values[0].isNull { builder.append(.null); continue }
            if let known = seen[values] { builder.append(known); continue }
            let country: String? = if countryIndex < values.count, case .string(let c) = values[countryIndex] { c } else { nil }
            let date: DateValue? = if let dateIndex, case .date(let d) = values[dateIndex] { d } else { nil }
            let result = resolve(values[0], country, date)
            if seen.count < 100_000 { seen[values] = result }
            builder.append(result)
        }
        return builder.finish()
    }
}
