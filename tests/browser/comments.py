"""What a reader does with the comment form, in the words of the contract.

The form's fields are labelled Name, Email and Comment; sections carry
"Respond to this section" links and approved comments "Reply" links; a post
ends on "Thank you — your comment is awaiting moderation."
"""

AWAITING = "Thank you — your comment is awaiting moderation."
READER = {"Name": "Ines Okafor", "Email": "ines@example.org"}


def comment_form(page):
    """The form on the page that has a Comment field."""
    return page.locator("form").filter(has=page.get_by_label("Comment", exact=True))


def submit(form):
    form.get_by_role("button", name="Send for moderation").click()


def post_comment(page, text, reader=READER):
    form = comment_form(page)
    for label, value in reader.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("Comment", exact=True).fill(text)
    submit(form)
