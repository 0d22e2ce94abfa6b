import ConflictQL
print(Briefing.catalog.names)
