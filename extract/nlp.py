"""The spaCy side: a Vietnamese syllable tokenizer built from spaCy's own tokenizer rules.

Vietnamese writes one syllable per space-separated token, so spaCy's prefix/suffix/infix rules plus
splits between a number and what is glued to it ("12vụ", "102,44%KH", "giỏi:107/448") are enough.
"""
import numpy
import spacy
from spacy.language import Language
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


SENTENCE_ENDS = (".", "!", "?", "…", ";")


@Language.component("ward_sentences")
def mark_sentences(doc):
    """spaCy's rule-based sentencizer (punct_chars SENTENCE_ENDS) on the doc's arrays: after a sentence end,
    the first token that is not punctuation starts a sentence. The same boundaries, without making a
    Token object per token."""
    if not len(doc):
        return doc
    ends = {doc.vocab.strings.add(p) for p in SENTENCE_ENDS}
    orth, punct = doc.to_array(["ORTH", "IS_PUNCT"]).T.tolist()
    starts = [-1] * len(doc)
    starts[0] = 1
    seen_end = False
    for i, (o, p) in enumerate(zip(orth, punct)):
        if o in ends:
            seen_end = True
        elif seen_end and not p:
            starts[i] = 1
            seen_end = False
    doc.from_array(["SENT_START"], numpy.array(starts, dtype="int32").reshape(-1, 1).astype("uint64"))
    return doc


def sentence_starts(doc) -> list[int]:
    """Indexes of the tokens that start a sentence, read from the doc's array (doc.sents makes a Token
    per token)."""
    return numpy.flatnonzero(doc.to_array("SENT_START") == 1).tolist()


def blank_vietnamese() -> spacy.language.Language:
    """A blank Vietnamese pipeline with the syllable tokenizer and a rule-based sentencizer."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "ward_extract.vi_syllables.v1"}}})
    nlp.add_pipe("ward_sentences")
    # spaCy's 1,000,000-character limit guards its parser and NER, which this pipeline does not run: the
    # tokenizer and the rules are linear in the text, so a report of any size is read
    nlp.max_length = 2**31 - 1
    return nlp
