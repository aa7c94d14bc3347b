import sys

if sys.argv[1:2] == ["simulate"]:
    from eldercare import simulator

    sys.exit(simulator.main(sys.argv[2:]))

from eldercare.service import SERVICE

SERVICE.main()
