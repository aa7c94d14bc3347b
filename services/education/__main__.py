from education.service import SERVICE

SERVICE.main()
