from opinions.service import SERVICE

SERVICE.main()
