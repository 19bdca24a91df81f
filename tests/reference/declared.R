# Reference values of tests/test_methods_declared.py (R 4.2, metafor 3.8-1): Rscript tests/reference/declared.R
library(metafor)
options(digits = 12)
# p of Student's t implied by Hedges' g = 0.5, 30 per arm
d <- 0.5 / exp(lgamma(29) - log(sqrt(29)) - lgamma(28.5)); print(2 * pt(-d * sqrt(15), 58))
# Welch and Student t-tests from summaries, and metafor's Hedges' g of the same
m1 <- 61.40; s1 <- 18.20; n1 <- 27; m2 <- 52.10; s2 <- 26.90; n2 <- 30
a <- s1^2 / n1; b <- s2^2 / n2
tw <- (m1 - m2) / sqrt(a + b); dfw <- (a + b)^2 / (a^2 / (n1 - 1) + b^2 / (n2 - 1))
print(c(tw, dfw, 2 * pt(-abs(tw), dfw)))
sp <- sqrt(((n1 - 1) * s1^2 + (n2 - 1) * s2^2) / (n1 + n2 - 2))
ts <- (m1 - m2) / (sp * sqrt(1 / n1 + 1 / n2)); print(2 * pt(-abs(ts), n1 + n2 - 2))
print(escalc("SMD", m1i = m1, sd1i = s1, n1i = n1, m2i = m2, sd2i = s2, n2i = n2)$yi)
