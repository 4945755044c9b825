"""Sections: a hierarchy of named, translated places a story is filed under."""
