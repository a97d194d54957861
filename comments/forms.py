import re
import unicodedata

from django import forms
from django.utils.functional import cached_property

from . import client, policy, posting
from .models import Comment, CommentReport

HONEYPOT_FILLED = (
    "This form could not be sent. If you filled in the field marked "
    "“Leave this field empty”, please clear it and send again."
)
REPLY_GONE = "The comment you are replying to is no longer available."
TOO_DEEP = "Replies go at most {depth} levels deep; please reply to an earlier comment."
NAME_CONTROL = (
    "Names cannot contain invisible control characters, such as ones that reverse "
    "the direction of the text. Please type your name again."
)
# Line breaks, tabs and their Unicode cousins in a name become one space.
NAME_WHITESPACE = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")
# Bidi embeddings, overrides and isolates: they can make a name read as something else.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters and symbols that draw nothing (Hangul fillers, the blank Braille pattern,
# Khmer inherent vowels, the combining grapheme joiner): a name of these is no name.
BLANK_LOOKING = set("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u034f\u180e")


def shows_something(text):
    """True when some character of ``text`` draws a letter, digit, mark of punctuation or symbol."""
    return any(
        unicodedata.category(char)[0] in "LNPS" and char not in BLANK_LOOKING for char in text
    )


class CommentForm(forms.ModelForm):
    """A reader's comment on one article, optionally a reply or a response to a section.

    Besides the visible fields it carries a honeypot (``website``, hidden from
    people and screen readers) and a signed timestamp (``token``).
    """

    section = forms.ChoiceField(label="Responding to", required=False)
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["name", "email", "body", "notify"]
        labels = {
            "name": "Name",
            "email": "Email",
            "body": "Comment",
            "notify": "Email me when my comment is approved or answered",
        }
        help_texts = {
            "email": "Never shown on the site.",
            "body": "Plain text. Leave a blank line between paragraphs; links work.",
            "notify": "",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "body": forms.Textarea(attrs={"rows": 7}),
        }

    def __init__(self, *args, article, known_duplicates=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.article = article
        # {(email, body): bool}: duplicate checks already made (post_query.article_taking_post).
        self.known_duplicates = known_duplicates or {}
        self.parent = None
        self.nonce = None
        if self.is_bound:
            self.data = self.data.copy()  # so a stale token can be renewed in place
        else:
            self.initial["token"] = client.FORM_TOKEN_PLACEHOLDER
        self.fields["email"].required = True
        # A callable: the sections are read only when the form is shown or one is chosen.
        self.fields["section"].choices = self._section_choices

    @cached_property
    def sections(self):
        return {section.anchor: section for section in self.article.sections.all()}

    def _section_choices(self):
        return [("", "The whole article")] + [
            (anchor, section.heading) for anchor, section in self.sections.items()
        ]

    def clean_name(self):
        """One line of visible text: line breaks and tabs become spaces; other controls
        (bidi overrides, C0/C1 control characters) are refused. Joiners stay, as names
        in Persian or emoji sequences need them."""
        name = NAME_WHITESPACE.sub(" ", self.cleaned_data["name"]).strip()
        if any(char in BIDI_CONTROLS or unicodedata.category(char) == "Cc" for char in name):
            raise forms.ValidationError(NAME_CONTROL, code="control_characters")
        if not shows_something(name):
            raise forms.ValidationError(self.fields["name"].error_messages["required"], "required")
        return name

    def clean_body(self):
        """Words a reader can see: a body of only spaces or invisible characters is empty."""
        body = self.cleaned_data["body"]
        if not shows_something(body):
            raise forms.ValidationError(self.fields["body"].error_messages["required"], "required")
        return body

    def clean_section(self):
        anchor = self.cleaned_data["section"]
        return self.sections.get(anchor) if anchor else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(HONEYPOT_FILLED, code="honeypot")
        try:
            self.nonce = client.check_form_token(cleaned.get("token"))
        except client.FormTokenError as error:
            if str(error) != client.TOO_FAST:
                self.data["token"] = client.issue_form_token()
            raise forms.ValidationError(str(error), code="token") from None
        self.parent = self._parent(cleaned.get("reply_to"))
        email, body = cleaned.get("email"), cleaned.get("body")
        if email and body and self._is_duplicate(email, body):
            raise forms.ValidationError(posting.DUPLICATE, code="duplicate")
        return cleaned

    def refuse(self, error):
        """Show a refusal from ``posting.post_comment`` (a used form, a duplicate, a rate
        limit) on the form.

        A used form gets a fresh token so that the reader can send again.
        """
        if isinstance(error, client.FormTokenError):
            self.data["token"] = client.issue_form_token()
        self.add_error(None, str(error))

    def _is_duplicate(self, email, body):
        known = self.known_duplicates.get((email, body))
        return posting.is_duplicate(email=email, body=body) if known is None else known

    def _parent(self, pk):
        if pk is None:
            return None
        parent = Comment.objects.approved().filter(article=self.article, pk=pk).first()
        if parent is None:
            raise forms.ValidationError(REPLY_GONE, code="reply_gone")
        if not parent.accepts_replies:
            raise forms.ValidationError(
                TOO_DEEP.format(depth=policy.current().max_depth), code="too_deep"
            )
        return parent

    def save(self, commit=True):
        comment = super().save(commit=False)
        comment.article = self.article
        comment.parent = self.parent
        comment.section = None if self.parent else self.cleaned_data.get("section")
        if commit:
            comment.save()
        return comment


class ReportForm(forms.Form):
    """A reader's report of a comment: the reason is optional."""

    reason = forms.ChoiceField(choices=[("", "—"), *CommentReport.Reason.choices], required=False)


class EditForm(forms.Form):
    """The commenter's new text for their own comment, labelled as on the comment form."""

    body = forms.CharField(
        label="Comment",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="Plain text. Leave a blank line between paragraphs; links work.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not shows_something(body):
            raise forms.ValidationError(self.fields["body"].error_messages["required"], "required")
        return body
