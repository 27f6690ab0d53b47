"""The English wire: stories the desk files in English for the editions to
translate (WIRE), and one kept for English readers only (LOCAL)."""

from . import Story

WIRE = (
    Story(
        key="border",
        section="world",
        dateline="Valdoria",
        title="Valdoria and the Orlan Republic reopen their border after two years",
        standfirst="Four crossings open to cars and freight on Monday, ending a closure "
        "that split families and cost farmers their eastern markets.",
        body=(
            "Valdoria and the Orlan Republic reopened four border crossings on Monday, two "
            "years after a dispute over water rights closed the frontier.",
            "The first lorries, most of them carrying grain, crossed at dawn. Officials on "
            "both sides said queues had formed overnight.",
            (
                "q",
                "Today people can visit their relatives without a three-day detour.",
                "Ines Castell",
                "Mayor of a border town",
            ),
            "The agreement signed last month sets up a joint commission on the Sarn River, "
            "whose water both countries use for irrigation.",
        ),
        tags=("Diplomacy", "Trade"),
    ),
    Story(
        key="harbour",
        section="business",
        dateline="Port Meren",
        title="Port Meren harbour to stay open at night as grain exports climb",
        standfirst="The port authority will run cranes around the clock from next month "
        "after exports rose by a fifth this year.",
        body=(
            "Port Meren will keep its container and grain terminals open at night from next "
            "month, the port authority said on Tuesday.",
            "Grain exports through the harbour have risen by 21 per cent since January, and "
            "ships now wait an average of four days for a berth.",
            (
                "q",
                "Every day a ship waits at anchor costs its owner thousands.",
                "Pavel Novak",
                "Port authority director",
            ),
            "Dock workers' unions said they had agreed to the new shifts in exchange for a "
            "pay rise and two extra days of leave a year.",
        ),
        tags=("Trade", "Food security"),
    ),
    Story(
        key="glacier",
        section="science-tech",
        dateline="Norvik",
        title="Norvik scientists map the glacier melting above Tessin Bay",
        standfirst="Drones and a century of photographs show the ice has retreated by "
        "nearly two kilometres since 1925.",
        body=(
            "Researchers at the University of Norvik have published the most detailed map "
            "yet of the glacier above Tessin Bay.",
            "Comparing drone surveys with photographs taken since 1925, they found the ice "
            "front has retreated by 1.9 kilometres, half of it in the past thirty years.",
            (
                "q",
                "The glacier feeds the rivers that the whole valley drinks from.",
                "Sana Lindgren",
                "Glaciologist",
            ),
            "The team will share its data with the regional water agency, which is planning "
            "new reservoirs for dry summers.",
        ),
        tags=("Climate", "Space"),
    ),
    Story(
        key="cup",
        section="sport",
        dateline="Almara",
        title="Almara win the national cup with a penalty in stoppage time",
        standfirst="A late spot kick beat Caldera City 2-1 and gave Almara their first "
        "trophy in eighteen years.",
        body=(
            "Almara won the national cup on Saturday, beating Caldera City 2-1 with a "
            "penalty in the fourth minute of stoppage time.",
            "Caldera City had led since the first half. Almara equalised with twenty minutes "
            "left and kept pressing until the referee pointed to the spot.",
            (
                "q",
                "Eighteen years is a long time. Tonight the whole city celebrates.",
                "Kofi Ibarra",
                "Almara captain",
            ),
            "Thousands of supporters gathered in the old town square to greet the team bus "
            "late on Saturday night.",
        ),
        tags=("Football",),
    ),
    Story(
        key="school-week",
        section="politics",
        dateline="Valdoria",
        title="Valdoria's parliament approves a trial of the four-day school week",
        standfirst="Forty schools will teach four longer days a week from September; "
        "teachers' unions back the plan, parents are divided.",
        body=(
            "Valdoria's parliament voted on Wednesday to let forty schools teach four longer "
            "days a week for two years, starting in September.",
            "The education ministry says the trial will show whether a free fifth day "
            "reduces absences and teacher burnout.",
            (
                "q",
                "We will measure everything, and if it does not work we will stop.",
                "Mira Sørensen",
                "Education minister",
            ),
            "Parents' associations are divided: some welcome the long weekend, others worry "
            "about who will look after younger children on Fridays.",
        ),
        tags=("Elections", "Culture"),
    ),
    Story(
        key="referendum",
        section="world",
        dateline="Kestrel Islands",
        title="Kestrel Islands to vote on the new fishing treaty",
        standfirst="Islanders will decide in a referendum next month whether to accept "
        "quotas negotiated with Valdoria.",
        body=(
            "The Kestrel Islands will hold a referendum next month on the fishing treaty "
            "negotiated with Valdoria, the islands' council announced.",
            "The treaty would cut cod catches by a third for five years in exchange for "
            "compensation for fishing families.",
            (
                "q",
                "Our grandchildren need fish in the sea, and our children need work today.",
                "Lena Haddad",
                "Council speaker",
            ),
            "Polls suggest a close result. The islands' two largest ports are expected to "
            "vote against.",
        ),
        tags=("Diplomacy", "Food security"),
    ),
)

# Left untranslated on purpose: the language switch on it leads to each
# other edition's front page.
LOCAL = Story(
    key="tram",
    section="off-beat",
    kind="offbeat",
    dateline="Norvik",
    title="Norvik keeps its 1920s tram running for one more winter",
    standfirst="The council has found the money to repair the city's oldest tram, "
    "loved by tourists and dreaded by its drivers.",
    body=(
        "Norvik city council voted on Thursday to keep the number 3 tram, built in 1926, "
        "in service for another winter.",
        "Repairs to its wooden benches and brakes will cost about 40,000, paid for by a "
        "collection among residents.",
        "The tram runs twice an hour between the harbour and the cathedral.",
    ),
    tags=("Culture",),
)
