"""The collection as a Datasette site: the database ``verslagen`` and its configuration
(Datasette's metadata: title, source, licence, facets, order, the columns' meaning and
the canned query ``zoeken``, which finds what ``ngs search`` finds through the SQL
function of ``datasette_plugin``). Nothing here imports Datasette."""

from __future__ import annotations

from typing import Any

DATABASE = "verslagen"  # the database's name in the site, and its file's stem

ZOEKEN_SQL = """select
  m.id,
  m.date as datum,
  m.year as jaar,
  m.city as stad,
  m.title as titel,
  json_extract(hit.value, '$.relevance') as relevantie,
  json_extract(hit.value, '$.snippet') as fragment,
  m.url as bron
from json_each(ngs_search(:q)) as hit
join meetings as m on m.id = json_extract(hit.value, '$.id')
order by hit.key"""

COLUMNS = {
    "id": "Id van de bijeenkomst (ngs show ID)",
    "title": "Titel",
    "date": "Datum (JJJJ-MM-DD), als de dag bekend is",
    "end_date": "Laatste dag, bij een bijeenkomst van meer dagen",
    "year": "Jaar",
    "date_precision": "Hoe nauwkeurig de datum bekend is: day, month, season, year, unknown",
    "season": "Seizoen, als alleen dat bekend is",
    "date_inferred": "1 als het jaar is afgeleid en niet in de bron staat",
    "date_note": "Hoe de datum is vastgesteld",
    "city": "Gaststad (leeg: niet vermeld in de bron)",
    "venue": "Locatie",
    "format": "Vorm: in_person (fysiek) of online",
    "themes": "Thema's zoals de bron ze noemt (JSON)",
    "topics": "Onderwerpen (JSON, ids van de tabel topics)",
    "text": "De tekst van het verslag",
    "url": "Het verslag op de bronpagina",
}


def site_config(collection: dict[str, Any]) -> dict[str, Any]:
    """Datasette's metadata for the collection, in Dutch."""
    return {
        "title": collection.get("title") or "Verslagen Netwerk Grote Steden",
        "description": (
            "De verslagen van de netwerkdagen van het Netwerk Grote Steden, doorzoekbaar "
            "gemaakt met ngs. Zoek met 'Zoeken' zoals met ngs search: elk woord moet "
            "voorkomen, in al zijn vormen en samenstellingen (inbraak vindt ook "
            'woninginbraak); OR, -woord, "een woordgroep" en woord* werken als bij een '
            "zoekmachine."
        ),
        "source": collection.get("publisher") or "de bron",
        "source_url": collection.get("source_url"),
        "license": "Tekst: van de bronpagina (zie de bron); ngs en zijn gegevens: MIT",
        "license_url": "https://opensource.org/license/mit",
        "plugins": {"ngs": {"site": DATABASE}},  # the plugin's page fixes, on this site only
        "databases": {
            DATABASE: {
                "tables": {
                    "meetings": {
                        "title": "Bijeenkomsten",
                        "sort_desc": "sort_date",
                        "facets": ["city", "year", {"array": "topics"}],
                        "label_column": "title",
                        "columns": COLUMNS,
                    },
                    "term_stems": {"hidden": True},
                    "meeting_text": {"hidden": True},
                },
                "queries": {
                    "zoeken": {
                        "title": "Zoeken",
                        "description": (
                            "Zoek in de verslagen zoals ngs search: de woordvormen en "
                            "samenstellingen, de beste treffers bovenaan."
                        ),
                        "sql": ZOEKEN_SQL,
                        "hide_sql": True,
                    }
                },
            }
        },
    }
