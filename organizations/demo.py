"""The demo organisations that `manage.py seed_demo` creates. Plain data, so later issues can extend it."""

DEMO_PASSWORD = "demo"

ORGANIZATIONS = [
    {
        "slug": "demo",
        "name": "Voorbeeld BV",
        "language": "nl",
        "time_zone": "Europe/Amsterdam",
        "teams": {
            "Klantenservice": {
                "manager": ("manager@example.com", "Mila", "de Vries", "Teamleider Klantenservice"),
                "members": [
                    ("employee@example.com", "Daan", "Jansen", "Klantadviseur"),
                    ("sanne.bakker@example.com", "Sanne", "Bakker", "Klantadviseur"),
                    ("lucas.visser@example.com", "Lucas", "Visser", "Klantadviseur"),
                    ("emma.smit@example.com", "Emma", "Smit", "Senior klantadviseur"),
                    ("noah.meijer@example.com", "Noah", "Meijer", "Klantadviseur"),
                    ("julia.mulder@example.com", "Julia", "Mulder", "Klantadviseur"),
                    ("sem.bos@example.com", "Sem", "Bos", "Kwaliteitscoach"),
                    ("tess.vos@example.com", "Tess", "Vos", "Klantadviseur"),
                    ("finn.peters@example.com", "Finn", "Peters", "Klantadviseur"),
                ],
            },
            "Ontwikkeling": {
                "manager": ("ruben.hendriks@example.com", "Ruben", "Hendriks", "Teamleider Ontwikkeling"),
                "members": [
                    ("lisa.vandijk@example.com", "Lisa", "van Dijk", "Softwareontwikkelaar"),
                    ("thijs.dekker@example.com", "Thijs", "Dekker", "Softwareontwikkelaar"),
                    ("anna.brouwer@example.com", "Anna", "Brouwer", "Tester"),
                    ("jesse.dejong@example.com", "Jesse", "de Jong", "Softwareontwikkelaar"),
                    ("eva.vanleeuwen@example.com", "Eva", "van Leeuwen", "Product owner"),
                    ("milan.dewit@example.com", "Milan", "de Wit", "Softwareontwikkelaar"),
                    ("zoe.vandenberg@example.com", "Zoë", "van den Berg", "UX-ontwerper"),
                    ("levi.kok@example.com", "Levi", "Kok", "Softwareontwikkelaar"),
                    ("noor.jacobs@example.com", "Noor", "Jacobs", "Tester"),
                ],
            },
            "Financiën": {
                "manager": ("ingrid.vermeulen@example.com", "Ingrid", "Vermeulen", "Hoofd Financiën"),
                "members": [
                    ("bram.willems@example.com", "Bram", "Willems", "Financieel medewerker"),
                    ("fleur.schouten@example.com", "Fleur", "Schouten", "Controller"),
                    ("jan.vandermeer@example.com", "Jan", "van der Meer", "Crediteurenadministrateur"),
                    ("lotte.koster@example.com", "Lotte", "Koster", "Salarisadministrateur"),
                    ("gijs.prins@example.com", "Gijs", "Prins", "Financieel medewerker"),
                    ("sara.huisman@example.com", "Sara", "Huisman", "Debiteurenbeheerder"),
                ],
            },
        },
        "hr": [
            ("hr@example.com", "Hanneke", "Verhoeven", "HR-adviseur", None),
            ("consultant@example.com", "Carla", "Consultant", "HR-consultant (extern)", None),
        ],
        # The HR director heads the managers; the HR admins report to her.
        "director": ("marieke.gerritsen@example.com", "Marieke", "Gerritsen", "Directeur"),
    },
    {
        "slug": "tweede",
        "name": "Tweede Organisatie BV",
        "language": "nl",
        "time_zone": "Europe/Amsterdam",
        "teams": {
            "Logistiek": {
                "manager": ("kees.vanbeek@example.com", "Kees", "van Beek", "Teamleider Logistiek"),
                "members": [
                    ("anouk.post@example.com", "Anouk", "Post", "Planner"),
                    ("rick.kuipers@example.com", "Rick", "Kuipers", "Magazijnmedewerker"),
                    ("iris.veenstra@example.com", "Iris", "Veenstra", "Magazijnmedewerker"),
                    ("tim.kramer@example.com", "Tim", "Kramer", "Chauffeur"),
                ],
            },
            "Verkoop": {
                "manager": ("linda.vandam@example.com", "Linda", "van Dam", "Verkoopleider"),
                "members": [
                    ("stijn.blom@example.com", "Stijn", "Blom", "Accountmanager"),
                    ("maud.bosman@example.com", "Maud", "Bosman", "Binnendienst"),
                ],
            },
        },
        "hr": [
            ("consultant@example.com", "Carla", "Consultant", "HR-consultant (extern)", None),
        ],
        "director": ("peter.derks@example.com", "Peter", "Derks", "Directeur"),
    },
]
