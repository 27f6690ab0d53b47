pytest_plugins = ["broadsheet.editions.tests.fixtures"]
