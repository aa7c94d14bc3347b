from servicedesk.service import SERVICE

SERVICE.main()
