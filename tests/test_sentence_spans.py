"""The sentence split computed from the characters equals spaCy's sentencizer over jieba's tokens."""
import random

import pytest

from auditor.claims.nlp import get_nlp, plain_sentence_spans, sentence_spans

CASES = [
    "",
    "   ",
    "一、收入支出预算总体情况。2024年收入预算1,234.56万元！比上年增加？",
    "支出合计100.00万元。”主要用于……（详见附表）。其中：基本支出50万元",
    "本年无结转。 下一句。  两个空格之后。\n换行之后。\t制表之后。\u3000全角空格之后。",
    "结尾带空格。 ",
    "结尾两个空格。  ",
    " 开头空格。第二句",
    "问号?英文感叹号!连续。。。之后",
    "增长12.5%。-3.2万元是减少。.5的写法。%开头。#号开头。_下划线",
    "（一）财政拨款收入。（二）其他收入。",
    "\r\n回车换行。\r\n之后",
]


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def spacy_spans(nlp, text):
    return [(s.start_char, s.end_char) for s in nlp(text).sents]


@pytest.mark.parametrize("text", CASES)
def test_same_spans_as_spacy(nlp, text):
    assert sentence_spans(text) == spacy_spans(nlp, text)
    plain = plain_sentence_spans(text)
    assert plain is None or plain == spacy_spans(nlp, text)


def test_random_texts(nlp):
    alphabet = list("。！？!?”“）（、，：；  \n\t\u3000-.%#&_+1a数据X…—") + ["  ", "\r\n", "部门", "12.5", "-3"]
    rng = random.Random(7)
    plain = 0
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        spans = plain_sentence_spans(text)
        if spans is not None:
            plain += 1
            assert spans == spacy_spans(nlp, text), repr(text)
    assert plain > 2000  # most texts never need spaCy


def test_word_punctuation_after_a_full_stop_asks_spacy():
    assert plain_sentence_spans("减少。-3.2万元") is None
    assert plain_sentence_spans("减少。3.2万元") == [(0, 3), (3, 8)]
