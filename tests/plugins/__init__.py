"""Fixtures and hooks the suite shares across folders, registered in tests/conftest.py.

Test modules never import fixtures from another folder's conftest: pytest finds these by name.
"""
