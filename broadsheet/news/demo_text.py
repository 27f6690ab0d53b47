"""Original demo copy for Broadsheet, generated from parts written for this project.

Nothing here is taken from a real outlet: places, people and events are
invented, combined by a seeded random generator so the demo is reproducible.
"""

import random

PLACES = [
    "Valdoria",
    "Port Meren",
    "the Kestrel Islands",
    "Norvik",
    "Almara",
    "Tessin Bay",
    "the Orlan Republic",
    "Caldera City",
    "Brisa",
    "the Sarn Valley",
    "Lindqvist",
    "Ostrava Nova",
]
ACTORS = [
    "the foreign ministry",
    "the central bank",
    "opposition leaders",
    "port workers",
    "the health agency",
    "farmers' unions",
    "the city council",
    "regional governors",
    "climate scientists",
    "the national football team",
    "tech start-ups",
    "teachers",
]
ACTIONS = [
    "agree on",
    "reject",
    "call for",
    "delay",
    "unveil",
    "debate",
    "sign",
    "warn over",
    "back",
    "launch",
    "review",
    "push ahead with",
]
OBJECTS = [
    "a new grain corridor",
    "emergency rate cuts",
    "a coastal defence plan",
    "a ceasefire proposal",
    "cross-border rail links",
    "a four-day school week",
    "an AI safety charter",
    "water-sharing rules",
    "a stadium rebuild",
    "a nationwide census",
    "solar subsidies",
    "a drought relief fund",
]
OFFBEAT = [
    "A lighthouse keeper in {place} has taught a flock of gulls to ring the harbour bell",
    "Town of {place} elects a tortoise as honorary mayor for the third time",
    "Lost violin returned to {place} orchestra after 40 years in a bakery",
    "{place} holds its first championship of competitive cloud-watching",
]
SUBHEADS = [
    "What happens next",
    "Why it matters",
    "A long road",
    "Reaction",
    "The numbers",
    "Background",
    "On the ground",
    "Voices from the street",
]
FIRST = ["Amara", "Jonas", "Lena", "Tomás", "Ines", "Kofi", "Mira", "Pavel", "Sana", "Ravi"]
LAST = ["Okafor", "Lindgren", "Moreau", "Castell", "Ibarra", "Novak", "Haddad", "Sørensen"]
ROLES = ["spokesperson", "economist", "mayor", "union leader", "minister", "researcher"]


class StoryWriter:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def pick(self, items):
        return self.rng.choice(items)

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def headline(self, kind: str) -> str:
        place = self.pick(PLACES)
        if kind == "offbeat":
            return self.pick(OFFBEAT).format(place=place)
        actor = self.pick(ACTORS)
        text = f"{place}: {actor} {self.pick(ACTIONS)} {self.pick(OBJECTS)}"
        if kind == "analysis":
            text = f"Analysis: why {actor} in {place} {self.pick(ACTIONS)} {self.pick(OBJECTS)}"
        elif kind == "opinion":
            text = f"{place} must not {self.pick(ACTIONS)} {self.pick(OBJECTS)}"
        return text[0].upper() + text[1:]

    def sentence(self) -> str:
        return self.rng.choice(self._sentence_forms())

    def _sentence_forms(self) -> list[str]:
        place, other, actor = self.pick(PLACES), self.pick(PLACES), self.pick(ACTORS)
        number, days = self.rng.randint(2, 95), self.rng.randint(3, 60)
        person, role = self.person(), self.pick(ROLES)
        day = self.pick(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"])
        return [
            f"Officials in {place} said {actor} would {self.pick(ACTIONS)} "
            f"{self.pick(OBJECTS)} within {days} days.",
            f"The decision follows weeks of talks in which {actor} pressed for "
            f"{self.pick(OBJECTS)}.",
            f"About {number},000 people are expected to be affected, according to figures "
            f"released on {day}.",
            f"Critics say the plan leaves {actor} with little room to manoeuvre.",
            f"Analysts expect the move to ripple through {other} as well.",
            f"A vote is scheduled for next week, though {number} members have yet to declare "
            f"their position.",
            f"{person}, {'an' if role[0] in 'aeiou' else 'a'} {role} in {place}, called the "
            f'proposal "overdue but incomplete".',
            f"Queues formed outside public offices in {place} before dawn on {day}.",
            f"The last comparable measure, in {2000 + number % 25}, took almost two years to "
            f"take effect.",
            f"Neighbouring {other} has already said it will watch the outcome closely.",
            f"Supporters argue that {self.pick(OBJECTS)} would pay for itself within a decade.",
            f"Prices in {place} have risen by {number % 19 + 2}% since the spring, "
            f"official data show.",
            f"Talks are due to resume in {other} on {day}, {person} told reporters.",
            f"Local broadcasters showed crowds gathering in the main square of {place}.",
            f"{actor.capitalize()} have not commented publicly on the timetable.",
            f"The government has set aside {number} million for the first phase.",
        ]

    def paragraph(self, sentences: int = 3) -> str:
        return " ".join(self.rng.sample(self._sentence_forms(), k=sentences))

    def standfirst(self) -> str:
        return self.paragraph(1) + " " + self.sentence()

    def quote(self) -> dict:
        return {
            "quote": f"We have waited long enough for {self.pick(OBJECTS)}. "
            f"People in {self.pick(PLACES)} deserve an answer.",
            "attribution": self.person(),
            "role": self.pick(ROLES).capitalize(),
        }
