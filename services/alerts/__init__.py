"""Emergency broadcast: CAP 1.2 alerts from departments and issuers, the
two-person approval rule, targeting by area, dissemination to set-top boxes,
loudspeakers and home IoT, and a receipt from each terminal."""
