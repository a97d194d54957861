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
    """Press the form's button; nothing is awaited (the browser may refuse to send)."""
    form.get_by_role("button", name="Send for moderation").click()


def send(page, form):
    """Press the form's button and wait until the server's answer has loaded.

    Whatever follows reads the answer, not the page the form was on: a message
    or an error that was already on that page cannot pass for the new one.
    """
    with page.expect_navigation():
        submit(form)


def post_comment(page, text, reader=READER):
    """Fill in and send the comment form; return once the answering page has loaded."""
    form = comment_form(page)
    for label, value in reader.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("Comment", exact=True).fill(text)
    send(page, form)
