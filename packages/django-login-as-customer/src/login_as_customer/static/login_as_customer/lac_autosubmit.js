// Carry the one-time token to the storefront by POST (never in a URL).
document.getElementById("lac-redeem-form").submit();
