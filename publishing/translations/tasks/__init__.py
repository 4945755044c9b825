"""Translation assignments: an editor asks for a story in a language, by someone, by a date;
the task follows the translation's own life (made, submitted, published) by itself."""
