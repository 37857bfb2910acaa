"""What every Helder app shares, and which belongs to none of them.

``core`` imports no Helder app (only Django), so every app may import it:
mapping a service's refusal onto a form (forms), the bilingual-text helpers
(i18n), rendering an email (email), conditional state changes (states), and
ids in addresses with the one way a view looks an object up by its id (urls).
"""
