from egov.service import SERVICE

SERVICE.main()
