"""Customers › Login as Customer › Dashboard: sessions per day, by administrator and by end
reason, median duration, actions per session, shares started with a reason and view only —
for a website and a period, read with a handful of aggregate statements (``figures.py``) and
drawn as SVG on the server (``charts.py``), each chart with its table."""
