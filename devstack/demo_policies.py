"""The demo libraries' policy pages: what a partner librarian needs to serve their patrons."""

from __future__ import annotations

PUBLIC_LIBRARY = [
    {
        "title": "Who we serve",
        "text": (
            "Anyone who lives, works or studies in Demo County may get a library card. Cards are "
            "free and are issued at any branch with photo ID and proof of address; residents can "
            "also register online for a temporary e-card, valid for 90 days, that gives access to "
            "e-books and databases at once. Visitors from outside the county may use everything in "
            "the building and the public computers with a guest pass."
        ),
    },
    {
        "title": "Borrowing and renewals",
        "text": (
            "Adults may borrow up to 50 items at a time: books and audiobooks for 3 weeks, DVDs "
            "and magazines for 1 week. Items can be renewed three times, online, by phone or in "
            "person, unless another patron has placed a hold. There are no overdue fines on "
            "children's and teen materials; adult items are 25 cents a day, to a maximum of $5 an "
            "item. Lost or damaged items are charged at their replacement cost."
        ),
    },
    {
        "title": "Referrals and what to tell patrons",
        "text": (
            "Questions about a patron's account, fines or blocked cards: the circulation desk, "
            "555-0100 (option 1), or circulation@demo-public.example. We cannot waive fines in "
            "chat.\n"
            "Interlibrary loan: patrons request it themselves from the catalogue once signed in; "
            "it is free and takes about two weeks.\n"
            "Local history and genealogy: the Heritage Room at the Main Library, by appointment "
            "(heritage@demo-public.example).\n"
            "Legal, medical or tax advice: give sources, never advice, and suggest Demo County "
            "Legal Aid or the patron's own doctor or tax preparer."
        ),
    },
]

UNIVERSITY_LIBRARY = [
    {
        "title": "Who we serve",
        "text": (
            "Current students, faculty and staff of Demo University, with their university "
            "sign-in. Alumni and visitors may use print materials in the building and the public "
            "workstations (ask at the front desk for a guest login), but licensed databases and "
            "e-journals are for current members of the university only, off campus as on."
        ),
    },
    {
        "title": "Borrowing",
        "text": (
            "Undergraduates borrow for 4 weeks, graduate students for a semester, faculty for a "
            "year; everything can be renewed online unless recalled. Course reserves are 2-hour "
            "loans in the building. Interlibrary loan is for current students and staff only: "
            "articles usually arrive in two days as a PDF, books in about a week."
        ),
    },
    {
        "title": "Referrals and what to tell visitors",
        "text": (
            "Alumni and members of the public asking for articles or interlibrary loan: refer "
            "them to their public library (for Demo County residents, Demo Public Library) and "
            "tell them they are welcome to read our print collections in the building.\n"
            "Students with sign-in problems: the IT help desk, 555-0199, help@demo-univ.example.\n"
            "Research consultations with a subject librarian: book from the library's Research "
            "guides page, or e-mail ask@demo-univ.example.\n"
            "Thesis formatting and deposit: the Graduate School, not the library."
        ),
    },
]
