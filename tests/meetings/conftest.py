"""Fixtures for the PDF tests: WeasyPrint's warnings and errors fail the test that caused them."""

import logging

import pytest


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def weasyprint_problems():
    """Every warning or error WeasyPrint logs; a test that expects some (a refused URL) checks
    and clears them, anything left fails the test."""
    collector = _Collector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    yield collector.records
    logger.removeHandler(collector)
    messages = [record.getMessage() for record in collector.records]
    assert not messages, f"WeasyPrint logged: {messages}"
