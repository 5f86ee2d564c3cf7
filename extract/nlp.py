"""The spaCy side: a Vietnamese syllable tokenizer built from spaCy's own tokenizer rules.

Vietnamese writes one syllable per space-separated token, so spaCy's prefix/suffix/infix rules plus
splits between a number and what is glued to it ("12vụ", "102,44%KH", "giỏi:107/448") are enough.
"""
import spacy
from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

# Splits glued forms: a number and the letters after it, slashes, equals and percent signs, colons
# and brackets between a word and a number.
GLUE_INFIXES = [
    r"(?<=[0-9])(?=[^\W\d_])",
    r"[/=%‰]",
    r"(?<=[^\W\d_])[:(,;](?=[0-9])",
    r"(?<=[0-9%])[()](?=[^\s])",
    r"(?<=[)\]])[:;,.](?=\S)",
]


@spacy.registry.tokenizers("ward_extract.vi_syllables.v1")
def create_syllable_tokenizer():
    def make(nlp):
        infixes = list(TOKENIZER_INFIXES) + GLUE_INFIXES
        return Tokenizer(
            nlp.vocab,
            prefix_search=compile_prefix_regex(list(TOKENIZER_PREFIXES) + ["=", "/"]).search,
            suffix_search=compile_suffix_regex(list(TOKENIZER_SUFFIXES) + ["%", "‰"]).search,
            infix_finditer=compile_infix_regex(infixes).finditer,
        )
    return make


def blank_vietnamese() -> spacy.language.Language:
    """A blank Vietnamese pipeline with the syllable tokenizer and a rule-based sentencizer."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "ward_extract.vi_syllables.v1"}}})
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", "…", ";"]})
    return nlp
