"""Demo data of the network's record: a full chain, loaded by `make run` after the other
areas' demo data."""


def load_demo() -> None:
    return None
