"""Imports .apkg packages (and .txt notes, by Anki's own text importer) into a new, real Anki collection (the `anki` package from PyPI, the
same Rust backend the desktop app runs) one after another, and prints what each import did
and what the collection then holds, as JSON. Exit 3 when the `anki` package is missing."""
import json
import os
import sys
import tempfile

try:
    from anki.collection import Collection, ImportAnkiPackageRequest, ImportCsvRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions
except ImportError as e:
    print(f"the anki package is missing: {e}", file=sys.stderr)
    sys.exit(3)

folder = tempfile.mkdtemp()
col = Collection(os.path.join(folder, "collection.anki2"))
imports = []
for path in sys.argv[1:]:
    if path.endswith(".txt"):
        # The header lines in the file say how to read it, as in File → Import.
        metadata = col.get_csv_metadata(path, None)
        log = col.import_csv(ImportCsvRequest(path=path, metadata=metadata)).log
    else:
        request = ImportAnkiPackageRequest(
            package_path=path,
            options=ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=True),
        )
        log = col.import_anki_package(request).log
    imports.append({
        "new": len(log.new),
        "updated": len(log.updated),
        "duplicate": len(log.duplicate),
        "conflicting": len(log.conflicting),
        "missing_notetype": len(log.missing_notetype),
    })
notes = []
for nid in col.find_notes(""):
    note = col.get_note(nid)
    card = note.cards()[0]
    notes.append({
        "guid": note.guid,
        "notetype": note.note_type()["name"],
        "fields": dict(note.items()),
        "tags": note.tags,
        "deck": col.decks.name(card.did),
        "question": card.question(),
        "answer": card.answer(),
    })
print(json.dumps({"imports": imports, "notes": notes, "cards": col.card_count()}))
col.close()
