from eldercare.service import SERVICE

SERVICE.main()
