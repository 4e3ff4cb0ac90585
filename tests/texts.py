"""Small synthetic pages shared by the stage tests (strip, segment): a news article
with navigation, a byline, share buttons and a WordPress-style comment section."""

P1 = ("The new bridge over the river opened on Tuesday after three years of work, and the first cyclists "
      "crossed it before the ribbon was even cut.")
P2 = ("Engineers said the deck was built in sections on the bank and pushed out over the water, which kept "
      "the river open to boats for the whole project.")
P3 = "The old ferry will keep running on Sundays until the end of the summer, the council said."

ARTICLE = f"""Skip to content
Valley Gazette
News and notes from the valley
Home
News
Sport
Contact
New bridge opens to cyclists and walkers
By Ann Example
March 3, 2024
{P1}
How it was built
{P2}
1954
Advertisement
{P3}
Share this:
Facebook
Email
Tags: bridges, river
3 Comments
Tom Tester says:
March 4, 2024 at 9:12 pm
Finally! I have been waiting for this since the ferry broke down last winter.
Reply
Anonymous says:
March 4, 2024 at 10:00 pm
Does anyone know if e-bikes are allowed on the deck?
Reply
Rita Q says:
March 5, 2024 at 8:00 am
@Anonymous yes, the sign at the east end says so.
Reply
Leave a Reply
Your email address will not be published. Required fields are marked *
Name *
Email *
Δ
© 2024 Valley Gazette
"""
